import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { ClientAssertionCredential } from '../../src/credentials/assertion.js'
import { CertificateCredential } from '../../src/credentials/certificate.js'
import { CERTIFICATE_RECHECK_MS, CertificateFileCredential } from '../../src/credentials/certificate-file.js'
import type { Logger } from '../../src/options.js'
import { useNetwork } from '../helpers/network.js'
import { CLIENT_ID, fakeJwt, scriptedEndpoint, TENANT, V2_URL, v2Token } from '../helpers/token-endpoint.js'
import { fixture, fixtureClock, fixtureText, PASSPHRASE, secretsOf } from './fixtures.js'

const network = useNetwork()
const KEY_FILES = ['rsa.key.pem', 'rsa.encrypted.pem', 'other.key.pem']

function capturingLogger(): { logger: Logger; lines: unknown[] } {
  const lines: unknown[] = []
  const log = (level: string) => (message: string, details?: Record<string, unknown>) =>
    lines.push([level, message, details])
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines }
}

function printed(value: unknown): string {
  return `${inspect(value, { depth: 20, showHidden: true })}\n${JSON.stringify(value)}\n${value instanceof Error ? value.stack : ''}`
}

function expectNoSecrets(text: string, extra: string[] = []): void {
  const secrets = [...secretsOf(...KEY_FILES), ...extra]
  expect(secrets.length).toBeGreaterThan(KEY_FILES.length * 2)
  for (const secret of secrets) expect(text).not.toContain(secret)
}

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('no key, passphrase or assertion in any output', () => {
  it('holds for credentials printed and serialised', () => {
    const clock = fixtureClock()
    const credentials = [
      new CertificateCredential(
        {
          privateKey: fixtureText('rsa.encrypted.pem'),
          certificate: fixture('rsa.cert.pem'),
          passphrase: PASSPHRASE,
        },
        { clock },
      ),
      new CertificateCredential({ privateKey: fixture('rsa.aes.pfx'), passphrase: PASSPHRASE }, { clock }),
      new ClientAssertionCredential('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.top-secret-signature'),
    ]
    const text = credentials.map(printed).join('\n')
    expect(text).toContain('[redacted]')
    expectNoSecrets(text, ['top-secret-signature'])
  })

  it('holds for a client, its logs and the assertions it sent, through retries and a bad rotation', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-redact-'))
    const path = join(dir, 'client.pem')
    writeFileSync(path, fixtureText('rsa.combined-encrypted.pem'))
    const busy = () =>
      HttpResponse.json(
        { error: 'temporarily_unavailable', error_codes: [90033] },
        { status: 503, headers: { 'retry-after': '0' } },
      )
    const endpoint = scriptedEndpoint(V2_URL, [busy(), v2Token(fakeJwt({}))])
    network.use(endpoint.handler)
    const clock = fixtureClock()
    const { logger, lines } = capturingLogger()
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { certificatePath: path, passphrase: PASSPHRASE },
      http: { retries: 1 },
      clock,
      logger,
    })
    await client.getToken('api://myapis/mywebapi')
    writeFileSync(path, fixtureText('other.key.pem')) // no certificate: refused, logged
    clock.advance(CERTIFICATE_RECHECK_MS)
    await client.getToken('api://myapis/mywebapi', { forceRefresh: true })
    const assertions = endpoint.seen.map((s) => s.form.get('client_assertion') ?? '')
    expect(assertions).toHaveLength(3)
    expect(lines.length).toBeGreaterThan(0)
    const signatures = assertions.map((a) => a.split('.')[2] ?? '')
    expectNoSecrets([printed(client), printed(client.describe()), printed(lines)].join('\n'), [
      ...assertions,
      ...signatures,
    ])
  })

  it('holds for every construction error and its cause', () => {
    const attempts: Array<() => unknown> = [
      () =>
        new CertificateCredential({
          privateKey: fixtureText('rsa.encrypted.pem'),
          certificate: fixtureText('rsa.cert.pem'),
          passphrase: 'nope',
        }),
      () =>
        new CertificateCredential({
          privateKey: fixtureText('rsa.key.pem'),
          certificate: fixtureText('other.cert.pem'),
        }),
      () =>
        new CertificateCredential({
          privateKey: fixtureText('rsa.key.pem').replace('MII', 'XII'),
          certificate: fixtureText('rsa.cert.pem'),
        }),
      () => new CertificateCredential({ privateKey: fixture('rsa.aes.pfx'), passphrase: `${PASSPHRASE}x` }),
      () =>
        new CertificateFileCredential({ certificatePath: '/nonexistent/client.pem', passphrase: PASSPHRASE }),
      () =>
        new TokenClient({
          tenant: TENANT,
          clientId: CLIENT_ID,
          authMethod: 'client_secret_basic',
          credential: {
            certificate: {
              privateKey: fixtureText('rsa.key.pem'),
              certificate: fixtureText('rsa.cert.pem'),
              passphrase: PASSPHRASE,
            },
          },
        }),
      () =>
        new TokenClient({
          tenant: TENANT,
          clientId: CLIENT_ID,
          credential: {
            certificate: {
              privateKey: fixtureText('rsa.key.pem'),
              passphrase: PASSPHRASE,
              extra: 1,
            } as never,
          },
        }),
    ]
    for (const attempt of attempts) {
      let caught: unknown
      try {
        attempt()
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(Error)
      const cause = (caught as Error).cause
      expectNoSecrets(`${printed(caught)}\n${printed(cause)}`, [`${PASSPHRASE}x`, 'nope'])
    }
  })
})
