/**
 * The leak suite for what goes wrong before or outside the token request: options refused at
 * construction, credentials that cannot be used (wrong passphrase, mismatched, weak or corrupt keys,
 * files missing), an assertion callback that fails, a federated token file that disappears and a
 * certificate file rotated to something unusable. No secret, key, passphrase, assertion or token
 * appears in the error, its causes, the client, the credential, the logs or the diagnostics channel.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/client.js'
import { ClientAssertionCredential } from '../../src/credentials/assertion.js'
import { CertificateCredential } from '../../src/credentials/certificate.js'
import { CERTIFICATE_RECHECK_MS, CertificateFileCredential } from '../../src/credentials/certificate-file.js'
import { FederatedTokenFileCredential } from '../../src/credentials/federated-file.js'
import { ClientSecretCredential } from '../../src/credentials/secret.js'
import type { TokenClientOptions } from '../../src/options.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { fixture, fixturePath, fixtureText } from '../credentials/fixtures.js'
import { manualClock } from '../helpers/token-endpoint.js'
import { errorRenderings, renderings } from './exposure.js'
import { CERT_APP, registerLeakApps, SECRET_APP, signAssertion } from './kinds.js'
import { type Observer, observe } from './observe.js'
import {
  baseSecrets,
  expectNoLeak,
  LEAK_SECRET,
  PASSPHRASE,
  type Secrets,
  WRONG_PASSPHRASE,
} from './secrets.js'
import { receivedTokens, sentCredentials, wiretap } from './wiretap.js'

const TENANT = EXAMPLE.tenantId
const RESOURCE = EXAMPLE.api.uri
const KEY = fixtureText('rsa.key.pem')
const CERT = fixtureText('rsa.cert.pem')
/** An assertion the suite hands over; it must come back out nowhere. */
const ASSERTION = await signAssertion(
  CERT_APP,
  `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
)

let dir: string
let observer: Observer
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-leaks-'))
  observer = observe()
})
afterEach(() => {
  observer.stop()
  rmSync(dir, { recursive: true, force: true })
})

function secrets(): Secrets {
  return baseSecrets().addToken('client assertion given', ASSERTION)
}

/** The error `build` throws (it must throw). */
function refusal(build: () => unknown): unknown {
  try {
    build()
  } catch (error) {
    return error
  }
  throw new Error('expected the construction to be refused')
}

function expectQuiet(error: unknown, extra: Record<string, readonly string[]> = {}, guard = secrets()): void {
  expectNoLeak(guard, {
    'the error, its stack and causes': errorRenderings(error),
    'the logs': observer.logs,
    'the diagnostics channel': observer.diagnostics,
    ...extra,
  })
}

const base = { tenant: TENANT, clientId: SECRET_APP }
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('options refused at construction', () => {
  const cases: Array<[string, () => TokenClientOptions]> = [
    ['a pseudo tenant', () => ({ ...base, tenant: 'common', credential: { clientSecret: LEAK_SECRET } })],
    [
      'a client id that is no GUID',
      () => ({ ...base, clientId: 'orders-worker', credential: { clientSecret: LEAK_SECRET } }),
    ],
    [
      'the secret given as the client id (swapped variables)',
      () => ({ ...base, clientId: LEAK_SECRET, credential: { clientSecret: SECRET_APP } }),
    ],
    [
      'the secret given as the tenant (swapped variables)',
      () => ({ ...base, tenant: LEAK_SECRET, credential: { clientSecret: SECRET_APP } }),
    ],
    [
      'the secret given as the authority host',
      () => ({ ...base, authorityHost: LEAK_SECRET, credential: { clientSecret: LEAK_SECRET } }),
    ],
    [
      'an unknown option holding the secret',
      () =>
        ({ ...base, credential: { clientSecret: LEAK_SECRET }, secret: LEAK_SECRET }) as TokenClientOptions,
    ],
    [
      'a passphrase next to a client secret',
      () =>
        ({
          ...base,
          credential: { clientSecret: LEAK_SECRET, passphrase: PASSPHRASE },
        }) as TokenClientOptions,
    ],
    [
      'two credential kinds',
      () =>
        ({
          ...base,
          credential: {
            clientSecret: LEAK_SECRET,
            certificate: { privateKey: KEY, certificate: CERT, passphrase: PASSPHRASE },
          },
        }) as TokenClientOptions,
    ],
    [
      'client_secret_basic with a certificate',
      () => ({
        ...base,
        authMethod: 'client_secret_basic',
        credential: { certificate: { privateKey: KEY, certificate: CERT } },
      }),
    ],
    ['an empty secret', () => ({ ...base, credential: { clientSecret: '' } })],
    [
      'a secret that is not a string',
      () =>
        ({
          ...base,
          credential: { clientSecret: Buffer.from(LEAK_SECRET) },
        }) as unknown as TokenClientOptions,
    ],
    [
      'a key that is not a key',
      () => ({
        ...base,
        credential: { certificate: { privateKey: { pem: KEY } as never, certificate: CERT } },
      }),
    ],
    [
      'http to a host that is not loopback',
      () => ({
        ...base,
        authorityHost: 'http://login.contoso.com',
        credential: { clientSecret: LEAK_SECRET },
      }),
    ],
    [
      'a negative timeout',
      () => ({ ...base, http: { timeoutMs: -1 }, credential: { clientSecret: LEAK_SECRET } }),
    ],
    ['an empty assertion', () => ({ ...base, credential: { clientAssertion: ' ' } })],
    ['an empty federated token file path', () => ({ ...base, credential: { federatedTokenFile: '' } })],
  ]

  it.each(cases)('%s: the ConfigurationError or CredentialError holds nothing secret', (_name, options) => {
    const error = refusal(() => new TokenClient({ ...options(), logger: observer.logger }))
    expect(error).toMatchObject({ code: expect.stringMatching(/^ERR_(CONFIG|CREDENTIAL)_INVALID$/) })
    expectQuiet(error)
  })
})

describe('credentials that cannot be used', () => {
  const mismatched = () => file('mismatched.pem', `${KEY}\n${fixtureText('other.cert.pem')}`)
  const cases: Array<[string, () => TokenClientOptions['credential']]> = [
    [
      'an encrypted PEM key with the wrong passphrase',
      () => ({
        certificate: {
          privateKey: fixtureText('rsa.encrypted.pem'),
          certificate: CERT,
          passphrase: WRONG_PASSPHRASE,
        },
      }),
    ],
    [
      'an encrypted PEM key without its passphrase',
      () => ({ certificate: { privateKey: fixtureText('rsa.encrypted.pem'), certificate: CERT } }),
    ],
    [
      'a PFX with the wrong passphrase',
      () => ({ certificate: { privateKey: fixture('rsa.aes.pfx'), passphrase: WRONG_PASSPHRASE } }),
    ],
    [
      'a 3DES PFX with the wrong passphrase',
      () => ({ certificate: { privateKey: fixture('rsa.3des.pfx'), passphrase: WRONG_PASSPHRASE } }),
    ],
    [
      'a PFX without a MAC and the wrong passphrase',
      () => ({ certificate: { privateKey: fixture('rsa.nomac.pfx'), passphrase: WRONG_PASSPHRASE } }),
    ],
    [
      'a PEM file with the wrong passphrase',
      () => ({ certificatePath: fixturePath('rsa.combined-encrypted.pem'), passphrase: WRONG_PASSPHRASE }),
    ],
    [
      'a PFX file with the wrong passphrase',
      () => ({ certificatePath: fixturePath('rsa.aes.pfx'), passphrase: WRONG_PASSPHRASE }),
    ],
    [
      'a key that does not match its certificate',
      () => ({ certificate: { privateKey: KEY, certificate: fixtureText('other.cert.pem') } }),
    ],
    ['a PEM file whose key does not match its certificate', () => ({ certificatePath: mismatched() })],
    ['a PEM file holding a key and no certificate', () => ({ certificatePath: fixturePath('rsa.key.pem') })],
    [
      'an expired certificate',
      () => ({ certificate: { privateKey: KEY, certificate: fixtureText('expired.cert.pem') } }),
    ],
    [
      'a 1024-bit key',
      () => ({
        certificate: {
          privateKey: fixtureText('rsa1024.key.pem'),
          certificate: fixtureText('rsa1024.cert.pem'),
        },
      }),
    ],
    [
      'an EC key',
      () => ({
        certificate: { privateKey: fixtureText('ec.key.pem'), certificate: fixtureText('ec.cert.pem') },
      }),
    ],
    [
      'a corrupt key',
      () => ({
        certificate: {
          privateKey: KEY.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n' + 'A'.repeat(64) + '\n'),
          certificate: CERT,
        },
      }),
    ],
    [
      'a legacy RC2 PFX',
      () => ({ certificate: { privateKey: fixture('rsa.rc2.pfx'), passphrase: PASSPHRASE } }),
    ],
    [
      'a certificate file that does not exist',
      () => ({ certificatePath: join(dir, 'missing.pem'), passphrase: PASSPHRASE }),
    ],
  ]

  it.each(cases)(
    '%s: the CredentialError holds no key line, key parameter or passphrase',
    (_name, credential) => {
      const error = refusal(
        () =>
          new TokenClient({ ...base, clientId: CERT_APP, credential: credential(), logger: observer.logger }),
      )
      expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_INVALID' })
      const guard = secrets()
      for (const name of ['rsa1024.key.pem', 'ec.key.pem']) guard.addKeyFile(name)
      expectQuiet(error, {}, guard)
    },
  )

  it('credentials print and serialise without their secret, key, passphrase or assertion, however deep one looks', () => {
    const clock = manualClock(Date.now())
    const credentials = [
      new ClientSecretCredential(LEAK_SECRET, 'client_secret_post'),
      new ClientSecretCredential(LEAK_SECRET, 'client_secret_basic'),
      new CertificateCredential({ privateKey: KEY, certificate: CERT }, { clock }),
      new CertificateCredential(
        { privateKey: fixtureText('rsa.encrypted.pem'), certificate: CERT, passphrase: PASSPHRASE },
        { clock },
      ),
      new CertificateCredential({ privateKey: fixture('rsa.aes.pfx'), passphrase: PASSPHRASE }, { clock }),
      new CertificateFileCredential(
        { certificatePath: fixturePath('rsa.combined-encrypted.pem'), passphrase: PASSPHRASE },
        { clock },
      ),
      new CertificateFileCredential(
        { certificatePath: fixturePath('rsa.aes.pfx'), passphrase: PASSPHRASE },
        { clock },
      ),
      new ClientAssertionCredential(ASSERTION),
      new ClientAssertionCredential(() => ASSERTION),
      new FederatedTokenFileCredential(file('token', ASSERTION)),
    ]
    // the credentials are the one place a secret may sit in a private field: inspect with custom
    // inspection off cannot see private fields, and is checked too
    expectQuiet(undefined, { 'the credentials': credentials.flatMap((c) => renderings(c)) })
  })
})

describe('credential failures when a token is requested', () => {
  let authority: LocalAuthority
  beforeAll(async () => {
    authority = await startLocalAuthority()
    registerLeakApps(authority)
  })
  afterAll(async () => {
    await authority?.close()
  })

  function client(credential: TokenClientOptions['credential'], clock = manualClock(Date.now())) {
    const tap = wiretap()
    const instance = new TokenClient({
      authorityHost: authority.url,
      tenant: TENANT,
      clientId: CERT_APP,
      credential,
      http: { dispatcher: tap.dispatcher },
      logger: observer.logger,
      clock,
    })
    return { client: instance, tap, clock }
  }

  /** Everything the wiretap saw, added to the secrets. */
  function guardWith(tap: ReturnType<typeof wiretap>): Secrets {
    const guard = secrets()
    const sent = sentCredentials(tap)
    expect(sent.assertions.length).toBeGreaterThan(0)
    for (const assertion of sent.assertions) guard.addToken('client assertion sent', assertion)
    for (const token of receivedTokens(tap)) guard.addToken('access token received', token)
    return guard
  }

  async function failure(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise
    } catch (error) {
      return error
    }
    throw new Error('expected the token request to fail')
  }

  it('an assertion callback that throws an innocent error: a CredentialError with it as cause, and the assertions it made before nowhere', async () => {
    let calls = 0
    const { client: c, tap } = client({
      clientAssertion: async ({ clientId, tokenEndpoint }) => {
        if (++calls > 1) throw new Error('the signing service is unavailable')
        return signAssertion(clientId, tokenEndpoint)
      },
    })
    const token = await c.getToken(RESOURCE)
    const error = await failure(c.getToken(RESOURCE, { forceRefresh: true }))
    expect(error).toMatchObject({
      code: 'ERR_CREDENTIAL_INVALID',
      cause: { message: 'the signing service is unavailable' },
    })
    const guard = guardWith(tap).addToken('access token returned', token.accessToken)
    expectQuiet(error, { 'the client': renderings(c) }, guard)
    await tap.close()
  })

  it('an assertion callback that returns an object holding the assertion: refused without echoing it', async () => {
    let calls = 0
    let made = ''
    const { client: c, tap } = client({
      clientAssertion: async ({ clientId, tokenEndpoint }) => {
        made = await signAssertion(clientId, tokenEndpoint)
        return (++calls > 1 ? { assertion: made } : made) as string
      },
    })
    await c.getToken(RESOURCE)
    const error = await failure(c.getToken(RESOURCE, { forceRefresh: true }))
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_INVALID' })
    expectQuiet(
      error,
      { 'the client': renderings(c) },
      guardWith(tap).addToken('assertion returned in an object', made),
    )
    await tap.close()
  })

  it('a federated token file that disappears: a CredentialError naming the path, and the token it held nowhere', async () => {
    const path = file('azure-identity-token', await signAssertion(CERT_APP, authority.tokenEndpoint(TENANT)))
    const { client: c, tap } = client({ federatedTokenFile: path })
    await c.getToken(RESOURCE)
    rmSync(path)
    const error = await failure(c.getToken(RESOURCE, { forceRefresh: true }))
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_INVALID' })
    expect((error as Error).message).toContain(path)
    expectQuiet(error, { 'the client': renderings(c) }, guardWith(tap))
    await tap.close()
  })

  it('a federated token file emptied by a rewrite: a CredentialError, and the earlier token nowhere', async () => {
    const path = file('azure-identity-token', await signAssertion(CERT_APP, authority.tokenEndpoint(TENANT)))
    const { client: c, tap } = client({ federatedTokenFile: path })
    await c.getToken(RESOURCE)
    writeFileSync(path, '\n')
    const error = await failure(c.getToken(RESOURCE, { forceRefresh: true }))
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_INVALID' })
    expectQuiet(error, { 'the client': renderings(c) }, guardWith(tap))
    await tap.close()
  })

  it.each([
    ['a key without its certificate', () => fixtureText('other.key.pem')],
    ['a file encrypted with another passphrase', () => fixtureText('rsa.combined-encrypted.pem')],
    ['a mismatched key and certificate', () => `${fixtureText('other.key.pem')}\n${CERT}`],
    ['nothing', () => ''],
  ])(
    'a certificate file rotated to %s: the warning logged holds no key line or passphrase',
    async (_name, next) => {
      const path = file('client.pem', fixtureText('rsa.combined.pem'))
      const { client: c, tap, clock } = client({ certificatePath: path })
      await c.getToken(RESOURCE)
      writeFileSync(path, next())
      clock.advance(CERTIFICATE_RECHECK_MS)
      await c.getToken(RESOURCE, { forceRefresh: true })
      expect(observer.logs.some((line) => line.startsWith('warn'))).toBe(true)
      expectQuiet(undefined, { 'the client': renderings(c) }, guardWith(tap))
      await tap.close()
    },
  )
})
