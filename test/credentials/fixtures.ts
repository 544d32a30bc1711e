/**
 * The TEST-ONLY keys and certificates of test/fixtures/credentials (see its README), and the
 * thumbprints openssl computed for them.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose'
import { manualClock } from '../helpers/token-endpoint.js'

export const FIXTURES = fileURLToPath(new URL('../fixtures/credentials/', import.meta.url))

/** A fixture file's path. */
export function fixturePath(name: string): string {
  return `${FIXTURES}${name}`
}

/** A fixture's bytes. */
export function fixture(name: string): Buffer {
  return readFileSync(fixturePath(name))
}

/** A fixture's text. */
export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8')
}

interface Fingerprints {
  passphrase: string
  [name: string]: { sha1: string; sha256: string } | string
}
const fingerprints = JSON.parse(fixtureText('fingerprints.json')) as Fingerprints

/** The passphrase of every encrypted fixture. */
export const PASSPHRASE = fingerprints.passphrase

/** openssl's fingerprints of `name`.cert.pem, as base64url (the x5t / x5t#S256 encoding). */
export function thumbprints(name: 'rsa' | 'other' | 'leaf' | 'ca'): {
  x5t: string
  x5tS256: string
  sha1Hex: string
} {
  const entry = fingerprints[name]
  if (typeof entry !== 'object') throw new Error(`no fingerprints for ${name}`)
  return {
    x5t: Buffer.from(entry.sha1, 'hex').toString('base64url'),
    x5tS256: Buffer.from(entry.sha256, 'hex').toString('base64url'),
    sha1Hex: entry.sha1,
  }
}

/** Strings that must never appear in output: key bodies and the passphrase. */
export function secretsOf(...names: string[]): string[] {
  const out = [PASSPHRASE]
  for (const name of names) {
    const text = fixtureText(name)
    for (const match of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----\s*([\s\S]*?)-----END/g)) {
      const body = (match[1] ?? '').replace(/\s+/g, '')
      out.push(body.slice(0, 40), body.slice(-40))
    }
  }
  return out
}

/** One day after the newest fixture certificate became valid: inside every fixture's validity, even after regeneration. */
const FIXTURE_NOW =
  Math.max(
    ...['rsa', 'other', 'leaf', 'ca', 'ec', 'rsa1024'].map((name) =>
      new X509Certificate(fixture(`${name}.cert.pem`)).validFromDate.getTime(),
    ),
  ) + 86_400_000

/** A clock the test moves by hand, starting inside every fixture's validity. */
export function fixtureClock() {
  return manualClock(FIXTURE_NOW)
}

/** Verifies `jwt` with `certificateName`'s public key; returns header and payload. */
export async function verifyAssertion(
  jwt: string,
  certificateName: string,
  algorithm: 'PS256' | 'RS256',
  now: number,
) {
  const key = await importX509(fixtureText(certificateName), algorithm)
  const { payload } = await jwtVerify(jwt, key, { algorithms: [algorithm], currentDate: new Date(now) })
  return { header: decodeProtectedHeader(jwt), payload }
}
