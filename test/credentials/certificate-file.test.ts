import { X509Certificate } from 'node:crypto'
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CERTIFICATE_RECHECK_MS, CertificateFileCredential } from '../../src/credentials/certificate-file.js'
import type { CredentialContext } from '../../src/credentials/credential.js'
import { CredentialError } from '../../src/errors.js'
import { derOctetString, derSequence } from '../../src/testing/x509/der-writer.js'
import {
  fixtureClock,
  fixturePath,
  fixtureText,
  PASSPHRASE,
  secretsOf,
  thumbprints,
  verifyAssertion,
} from './fixtures.js'
import { certBag, dataContent, pbes2Algorithm, pfx } from './pkcs12-builder.js'

const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const ENDPOINT = 'https://login.microsoftonline.com/f6aba1d9-da41-4ea3-8f30-4970725586a8/oauth2/v2.0/token'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-certfile-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Replaces `path` atomically with the fixture `name` (as kubelet and most deploy tools do). */
function replaceWith(path: string, name: string): void {
  copyFileSync(fixturePath(name), `${path}.new`)
  renameSync(`${path}.new`, path)
}

function certificateFileRefusal(path: string): CredentialError {
  try {
    new CertificateFileCredential({ certificatePath: path }, { clock: fixtureClock() })
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError)
    return error as CredentialError
  }
  throw new Error('expected the file to be refused')
}

async function sentThumbprint(credential: CertificateFileCredential, clock: { now(): number }) {
  const form = new URLSearchParams()
  const ctx: CredentialContext = {
    clientId: CLIENT_ID,
    tokenEndpoint: ENDPOINT,
    clock,
    signal: new AbortController().signal,
  }
  await credential.authenticate({ form, headers: {} }, ctx)
  const jwt = form.get('client_assertion') ?? ''
  return JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8'))['x5t#S256'] as string
}

describe('a certificate given by path', () => {
  it('reads PEM holding key and certificate, and signs assertions that verify', async () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock })
    const form = new URLSearchParams()
    await credential.authenticate(
      { form, headers: {} },
      { clientId: CLIENT_ID, tokenEndpoint: ENDPOINT, clock, signal: AbortSignal.timeout(5000) },
    )
    const { header } = await verifyAssertion(
      form.get('client_assertion') ?? '',
      'rsa.cert.pem',
      'PS256',
      clock.now(),
    )
    expect(header['x5t#S256']).toBe(thumbprints('rsa').x5tS256)
  })

  it('reads a PKCS#12 file by its content, whatever its name', () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.aes.pfx')
    const credential = new CertificateFileCredential(
      { certificatePath: path, passphrase: PASSPHRASE },
      { clock: fixtureClock() },
    )
    expect(credential.thumbprint).toBe(thumbprints('rsa').sha1Hex)
  })

  it('sends the chain from a combined PEM as x5c when asked', async () => {
    const path = join(dir, 'chain.pem')
    replaceWith(path, 'chain.combined.pem')
    const clock = fixtureClock()
    const credential = new CertificateFileCredential(
      { certificatePath: path, sendCertificateChain: true },
      { clock },
    )
    const form = new URLSearchParams()
    await credential.authenticate(
      { form, headers: {} },
      { clientId: CLIENT_ID, tokenEndpoint: ENDPOINT, clock, signal: AbortSignal.timeout(5000) },
    )
    const { header } = await verifyAssertion(
      form.get('client_assertion') ?? '',
      'leaf.cert.pem',
      'PS256',
      clock.now(),
    )
    expect(header.x5c).toHaveLength(2)
  })

  it('refuses a missing file, naming the path', () => {
    const path = join(dir, 'missing.pem')
    const attempt = () => new CertificateFileCredential({ certificatePath: path })
    expect(attempt).toThrow(CredentialError)
    expect(attempt).toThrow(`cannot read the certificate file ${path} (ENOENT).`)
  })

  it('refuses a file with a key and no certificate', () => {
    const path = join(dir, 'key.pem')
    replaceWith(path, 'rsa.key.pem')
    expect(() => new CertificateFileCredential({ certificatePath: path }, { clock: fixtureClock() })).toThrow(
      /^certificate file .*key\.pem: the file holds a private key but no certificate/,
    )
  })

  it.each(['rsa.cert.pem', 'rsa.cert.der', 'chain.pem'])(
    'says a file holding only a certificate (%s) has no private key, and how to add it',
    (name) => {
      const path = join(dir, 'client.pem')
      replaceWith(path, name)
      const error = certificateFileRefusal(path)
      expect(error.message).toBe(`certificate file ${path}: holds a certificate but no private key.`)
      expect(error.hint).toContain('cat client.key.pem client.cert.pem > client.pem')
      expect(error.hint).toContain('openssl pkcs12 -export')
    },
  )

  it('says a PKCS#12 file holding only a certificate has no private key', () => {
    const certificate = new X509Certificate(fixtureText('rsa.cert.pem')).raw
    const path = join(dir, 'client.pfx')
    writeFileSync(path, pfx([dataContent([certBag(certificate)])]))
    const error = certificateFileRefusal(path)
    expect(error.message).toContain('no private key')
    expect(error.hint).toContain('openssl pkcs12 -export')
  })

  it('prints and serialises with its path and thumbprint, never its key or passphrase', () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined-encrypted.pem')
    const credential = new CertificateFileCredential(
      { certificatePath: path, passphrase: PASSPHRASE },
      { clock: fixtureClock() },
    )
    const printed = `${inspect(credential, { depth: 10, showHidden: true })} ${JSON.stringify(credential)}`
    expect(printed).toContain(thumbprints('rsa').sha1Hex)
    for (const secret of secretsOf('rsa.combined-encrypted.pem', 'rsa.key.pem'))
      expect(printed).not.toContain(secret)
  })
})

describe('rotation', () => {
  it('uses a rotated file after the 30 s recheck interval, and not before', async () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const info = vi.fn()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock, logger: { info } })
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('rsa').x5tS256)
    replaceWith(path, 'other.combined.pem')
    clock.advance(CERTIFICATE_RECHECK_MS - 1)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('rsa').x5tS256)
    clock.advance(1)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('other').x5tS256)
    expect(credential.thumbprint).toBe(thumbprints('other').sha1Hex)
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/new certificate is in service/),
      expect.objectContaining({ path, thumbprint: thumbprints('other').sha1Hex }),
    )
  })

  it('picks up a file rewritten in place', async () => {
    const path = join(dir, 'client.pem')
    writeFileSync(path, fixtureText('rsa.combined.pem'))
    const clock = fixtureClock()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock })
    writeFileSync(path, fixtureText('other.combined.pem'))
    clock.advance(CERTIFICATE_RECHECK_MS)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('other').x5tS256)
  })

  it('keeps the old certificate when the new file is bad, logs why once, and takes the file once fixed', async () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const warn = vi.fn()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock, logger: { warn } })
    replaceWith(path, 'other.key.pem') // a key without its certificate
    for (let i = 0; i < 3; i++) {
      clock.advance(CERTIFICATE_RECHECK_MS)
      expect(await sentThumbprint(credential, clock)).toBe(thumbprints('rsa').x5tS256)
    }
    expect(warn).toHaveBeenCalledOnce()
    const [message, details] = warn.mock.calls[0] ?? []
    expect(message).toMatch(/cannot be used; the previous certificate stays in service/)
    expect(details).toMatchObject({
      path,
      thumbprint: thumbprints('rsa').sha1Hex,
      reason: expect.stringMatching(/no certificate/),
    })
    for (const secret of secretsOf('other.key.pem', 'rsa.key.pem'))
      expect(JSON.stringify(warn.mock.calls)).not.toContain(secret)
    replaceWith(path, 'other.combined.pem')
    clock.advance(CERTIFICATE_RECHECK_MS)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('other').x5tS256)
  })

  it('keeps the old certificate when the file disappears, and logs it', async () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const warn = vi.fn()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock, logger: { warn } })
    rmSync(path)
    clock.advance(CERTIFICATE_RECHECK_MS)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('rsa').x5tS256)
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ code: 'ENOENT' }))
  })

  it('keeps the old certificate when the new one is expired', async () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const warn = vi.fn()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock, logger: { warn } })
    writeFileSync(`${path}.new`, fixtureText('rsa.key.pem') + fixtureText('expired.cert.pem'))
    renameSync(`${path}.new`, path)
    clock.advance(CERTIFICATE_RECHECK_MS)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('rsa').x5tS256)
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ reason: expect.stringMatching(/expired on 2021-01-01/) })
  })

  it('does not look at the file when nothing asks for a token', () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock })
    replaceWith(path, 'other.combined.pem')
    clock.advance(10 * CERTIFICATE_RECHECK_MS)
    expect(credential.thumbprint).toBe(thumbprints('rsa').sha1Hex)
  })
})

describe('reloading an expensive file (issue 13 finding 9)', () => {
  it('refuses a rotated file bigger than 1 MiB without reading it, keeping the previous certificate', async () => {
    const path = join(dir, 'client.pem')
    replaceWith(path, 'rsa.combined.pem')
    const clock = fixtureClock()
    const warn = vi.fn()
    const credential = new CertificateFileCredential({ certificatePath: path }, { clock, logger: { warn } })
    writeFileSync(path, `${fixtureText('other.combined.pem')}\n${'#'.repeat(2 * 1024 * 1024)}`)
    clock.advance(CERTIFICATE_RECHECK_MS)
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('rsa').x5tS256)
    expect(warn).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ reason: expect.stringMatching(/bigger than 1 MiB/) }),
    )
  })
})

describe('an encrypted PEM key asking for too much work (issue 13 finding 9)', () => {
  it('is refused before node:crypto would derive its key on the event loop', () => {
    const options = { password: PASSPHRASE, iterations: 5_000_000 }
    const encryptedKeyInfo = derSequence(pbes2Algorithm(options), derOctetString(Buffer.alloc(1200, 1)))
    const body = encryptedKeyInfo.toString('base64').replace(/(.{64})/g, '$1\n')
    const path = join(dir, 'client.pem')
    writeFileSync(
      path,
      `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body}\n-----END ENCRYPTED PRIVATE KEY-----\n${fixtureText('rsa.cert.pem')}`,
    )
    const create = () =>
      new CertificateFileCredential(
        { certificatePath: path, passphrase: PASSPHRASE },
        { clock: fixtureClock() },
      )
    expect(create).toThrow(CredentialError)
    expect(create).toThrow(/5,000,000 iterations of PBKDF2.*openssl pkcs12 -export/)
  })
})
