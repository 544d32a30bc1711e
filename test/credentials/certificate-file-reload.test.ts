/**
 * Issue 13, finding 9: reloading `certificatePath` in a serving process must not block the event loop
 * on the key derivation of a PKCS#12 file. node:crypto is wrapped to count which PBKDF2 runs: the
 * blocking `pbkdf2Sync`, or `pbkdf2` on libuv's thread pool.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CERTIFICATE_RECHECK_MS, CertificateFileCredential } from '../../src/credentials/certificate-file.js'
import { derSequence } from '../../src/testing/x509/der-writer.js'
import { fixtureClock, fixturePath, fixtureText, PASSPHRASE, thumbprints } from './fixtures.js'
import {
  bag,
  certBag,
  encryptedContent,
  P12_OID,
  type Pbes2,
  pbes2Algorithm,
  pbes2Encrypt,
  pfx,
} from './pkcs12-builder.js'

const calls = vi.hoisted(() => ({ pbkdf2Sync: 0, pbkdf2: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return {
    ...real,
    pbkdf2Sync: (...args: Parameters<typeof real.pbkdf2Sync>) => {
      calls.pbkdf2Sync++
      return real.pbkdf2Sync(...args)
    },
    pbkdf2: (...args: Parameters<typeof real.pbkdf2>) => {
      calls.pbkdf2++
      return real.pbkdf2(...args)
    },
  }
})

const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const ENDPOINT = 'https://login.microsoftonline.com/f6aba1d9-da41-4ea3-8f30-4970725586a8/oauth2/v2.0/token'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-certreload-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A PKCS#12 file of the other key and certificate, encrypted with PBKDF2 at `iterations`. */
function otherPfx(iterations: number): Buffer {
  const key = createPrivateKey(fixtureText('other.key.pem')).export({ format: 'der', type: 'pkcs8' })
  const certificate = new X509Certificate(fixtureText('other.cert.pem')).raw
  const contents = derSequence(bag(P12_OID.KEY_BAG, key), certBag(certificate))
  const options: Pbes2 = { password: PASSPHRASE, iterations }
  return pfx([encryptedContent(pbes2Algorithm(options), pbes2Encrypt(contents, options))])
}

async function sentThumbprint(credential: CertificateFileCredential, clock: { now(): number }) {
  const form = new URLSearchParams()
  const signal = new AbortController().signal
  await credential.authenticate(
    { form, headers: {} },
    { clientId: CLIENT_ID, tokenEndpoint: ENDPOINT, clock, signal },
  )
  const jwt = form.get('client_assertion') ?? ''
  return JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8'))['x5t#S256'] as string
}

describe('reloading a rotated PKCS#12 file', () => {
  it('runs its PBKDF2 on the thread pool, never pbkdf2Sync on the event loop', async () => {
    const path = join(dir, 'client.pfx')
    copyFileSync(fixturePath('rsa.aes.pfx'), path)
    const clock = fixtureClock()
    const credential = new CertificateFileCredential(
      { certificatePath: path, passphrase: PASSPHRASE },
      { clock },
    )
    writeFileSync(`${path}.new`, otherPfx(100_000))
    renameSync(`${path}.new`, path)
    clock.advance(CERTIFICATE_RECHECK_MS)
    calls.pbkdf2Sync = 0
    calls.pbkdf2 = 0
    expect(await sentThumbprint(credential, clock)).toBe(thumbprints('other').x5tS256)
    expect(calls).toEqual({ pbkdf2Sync: 0, pbkdf2: 1 })
  })
})
