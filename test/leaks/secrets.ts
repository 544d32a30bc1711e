/**
 * What must never be printed, and where to look for it. A secret is searched for as it is and in the
 * encodings it travels in (form-encoded, URI-encoded, JSON-escaped, base64); a JWT (an assertion or an
 * access token) also by its signature alone; a private key by each line of its PEM body, by its
 * private JWK parameters, and by its passphrase.
 */
import { createPrivateKey } from 'node:crypto'
import { expect } from 'vitest'
import { fixture, fixtureText, PASSPHRASE } from '../credentials/fixtures.js'

/** The secret of the app registered for the leak suite (test-only). */
export const LEAK_SECRET = 'Lk8Q~leak.suite_client-secret~7f3a9c0d1e'
/** A secret that is not the app's (its refusal is AADSTS7000215). */
export const WRONG_SECRET = 'Wr8Q~wrong.leak_secret-0c1d2e3f4a5b6c7d'
/** A passphrase that opens none of the fixtures. */
export const WRONG_PASSPHRASE = 'wrong-passphrase-of-the-leak-suite'
export { PASSPHRASE }

/** The key files (and PKCS#12 files) whose private material must never be printed. */
export const KEY_FILES = [
  'rsa.key.pem',
  'rsa.pkcs1.pem',
  'rsa.encrypted.pem',
  'rsa.combined.pem',
  'rsa.combined-encrypted.pem',
  'other.key.pem',
] as const
export const PFX_FILES = ['rsa.aes.pfx', 'rsa.3des.pfx'] as const

const MIN_LENGTH = 12

export class Secrets {
  readonly #entries = new Map<string, string>()

  /** Adds `value` under `label`, with the encodings it travels in. */
  add(label: string, value: string | undefined): this {
    if (value === undefined || value.length < MIN_LENGTH) return this
    const variants: Array<[string, string]> = [
      ['', value],
      [' (form-encoded)', new URLSearchParams([['', value]]).toString().slice(1)],
      [' (URI-encoded)', encodeURIComponent(value)],
      [' (JSON-escaped)', JSON.stringify(value).slice(1, -1)],
      [' (base64)', Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '')],
    ]
    for (const [how, text] of variants) if (!this.#has(text)) this.#entries.set(`${label}${how}`, text)
    return this
  }

  /** Adds a JWT (or opaque token): whole, and its signature (or its last 32 characters) alone. */
  addToken(label: string, token: string | undefined): this {
    if (token === undefined) return this
    this.add(label, token)
    const parts = token.split('.')
    const tail = parts.length === 3 ? parts[2] : token.slice(-32)
    if (tail && tail.length >= MIN_LENGTH && !this.#has(tail)) this.#entries.set(`${label} signature`, tail)
    return this
  }

  /** Adds a PEM file's private key body lines and the private parameters of its key. */
  addKeyFile(name: string, passphrase = PASSPHRASE): this {
    const text = fixtureText(name)
    for (const match of text.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----\s*([\s\S]*?)-----END/g)) {
      const lines = (match[2] ?? '')
        .split(/\r?\n/)
        .filter((line) => line.length >= MIN_LENGTH && !line.includes(':'))
      for (const [i, line] of lines.entries()) this.#entries.set(`${name} ${match[1]} line ${i + 1}`, line)
    }
    this.#addJwkParams(name, createPrivateKey({ key: text, passphrase }))
    return this
  }

  /** Adds a PKCS#12 file's bytes (base64 lines) and the private parameters of its key. */
  addPfx(name: string): this {
    const base64 = fixture(name).toString('base64')
    for (let i = 0; i + 64 <= base64.length; i += 64)
      this.#entries.set(`${name} base64 ${i / 64 + 1}`, base64.slice(i, i + 64))
    // the fixtures' PKCS#12 files hold the main RSA key
    this.#addJwkParams(name, createPrivateKey(fixtureText('rsa.key.pem')))
    return this
  }

  #addJwkParams(name: string, key: ReturnType<typeof createPrivateKey>): void {
    const jwk = key.export({ format: 'jwk' }) as Record<string, string>
    for (const param of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      const value = jwk[param]
      if (value) this.#entries.set(`${name} private JWK ${param}`, value.slice(0, 40))
    }
    const der = key.export({ format: 'der', type: 'pkcs8' }).toString('base64')
    for (let i = 64; i + 64 <= der.length; i += 256)
      this.#entries.set(`${name} PKCS#8 DER base64 @${i}`, der.slice(i, i + 64))
  }

  #has(text: string): boolean {
    for (const value of this.#entries.values()) if (value === text) return true
    return false
  }

  get size(): number {
    return this.#entries.size
  }

  /** Every `label found in where` for the outputs given. */
  findIn(outputs: Readonly<Record<string, readonly string[]>>): string[] {
    const found: string[] = []
    for (const [where, texts] of Object.entries(outputs)) {
      for (const text of texts) {
        for (const [label, value] of this.#entries) {
          if (text.includes(value)) found.push(`${label} found in ${where}`)
        }
      }
    }
    return [...new Set(found)]
  }
}

/** The secrets every scenario guards: the app's and the wrong secret, every key and passphrase. */
export function baseSecrets(): Secrets {
  const secrets = new Secrets().add('client secret', LEAK_SECRET).add('wrong secret', WRONG_SECRET)
  secrets.add('passphrase', PASSPHRASE).add('wrong passphrase', WRONG_PASSPHRASE)
  for (const name of KEY_FILES) secrets.addKeyFile(name)
  for (const name of PFX_FILES) secrets.addPfx(name)
  return secrets
}

/** Fails with the list of secrets found in `outputs`, if any. */
export function expectNoLeak(secrets: Secrets, outputs: Readonly<Record<string, readonly string[]>>): void {
  expect(secrets.size).toBeGreaterThan(50)
  expect(Object.values(outputs).flat().join('').length).toBeGreaterThan(0)
  expect(secrets.findIn(outputs)).toEqual([])
}
