import { describe, expect, it } from 'vitest'
import { runDecode } from '../../src/cli/decode.js'
import { main } from '../../src/cli/main.js'
import { fakeJwt } from '../helpers/token-endpoint.js'
import { captureIo } from './io.js'

const NOW = Date.parse('2026-11-24T10:00:00Z')
const token = fakeJwt({
  aud: 'api://myapis/mywebapi',
  iss: 'https://sts.windows.net/f6aba1d9-da41-4ea3-8f30-4970725586a8/',
  roles: ['Admin'],
  appidacr: '1',
  exp: NOW / 1000 + 3600,
  custom: 'x',
})

describe('decode', () => {
  it('prints the header, the claims with readable times, and what known claims mean', async () => {
    const run = captureIo()
    expect(await runDecode([token], run.io, NOW)).toBe(0)
    expect(run.stdout).toContain('alg')
    expect(run.stdout).toContain('"api://myapis/mywebapi"')
    expect(run.stdout).toContain('audience: the API the token is for')
    expect(run.stdout).toContain('app roles granted to the client')
    expect(run.stdout).toContain('2026-11-24T11:00:00.000Z, in 1.0 h')
    expect(run.stdout).toContain('custom')
    expect(run.stdout).toContain('Not verified')
  })

  it('reads the token from standard input with -, and accepts a Bearer prefix', async () => {
    const run = captureIo({}, `Bearer ${token}\n`)
    expect(await runDecode(['-', '--json'], run.io, NOW)).toBe(0)
    const printed = JSON.parse(run.stdout) as { header: { alg: string }; claims: { roles: string[] } }
    expect(printed.header.alg).toBe('RS256')
    expect(printed.claims.roles).toEqual(['Admin'])
  })

  it('prints its usage and exits 2 without a token, never waiting for standard input', async () => {
    const run = captureIo()
    run.io.readStdin = () => Promise.reject(new Error('standard input was read'))
    expect(await main(['decode'], run.io)).toBe(2)
    expect(run.stderr).toContain('Usage: oauth-client-credentials decode <jwt | ->')
    expect(run.stdout).toBe('')
  })

  it('exits 2 when given more than one token', async () => {
    const run = captureIo()
    expect(await main(['decode', token, token], run.io)).toBe(2)
    expect(run.stderr).toMatch(/^decode: /)
  })

  it('refuses an opaque token with exit code 2', async () => {
    const run = captureIo()
    expect(await main(['decode', 'opaque-token'], run.io)).toBe(2)
    expect(run.stderr).toContain('not a JWT')
  })

  it('shows past times as ago, in seconds, minutes or hours', async () => {
    const run = captureIo()
    const times = fakeJwt({ nbf: NOW / 1000 - 30, iat: NOW / 1000 - 600, exp: NOW / 1000 - 7200 })
    expect(await runDecode([times], run.io, NOW)).toBe(0)
    expect(run.stdout).toContain('2026-11-24T09:59:30.000Z, 30 s ago')
    expect(run.stdout).toContain('2026-11-24T09:50:00.000Z, 10 min ago')
    expect(run.stdout).toContain('2026-11-24T08:00:00.000Z, 2.0 h ago')
  })

  it.each([
    ['a header that is JSON but not an object', `${part([1, 2])}.${part({ aud: 'x' })}.sig`],
    ['a header with characters outside base64url', `${part({ alg: 'RS256' })}=.${part({ aud: 'x' })}.sig`],
    ['an empty header', `.${part({ aud: 'x' })}.sig`],
  ])('refuses %s with exit code 2', async (_name, jwt) => {
    const run = captureIo()
    expect(await main(['decode', jwt], run.io)).toBe(2)
    expect(run.stderr).toContain('not a JWT')
  })
})

/** What a token can carry to take over a terminal: every one must reach the screen escaped. */
const HOSTILE = {
  clear: '\u001b[2J',
  link: '\u001b]8;;http://127.0.0.1/\u0007click\u001b]8;;\u0007',
  carriageReturn: 'harmless\rforged',
  bell: '\u0007',
  csi: '\u009b31m',
  bidi: '\u202eevil',
}
/** Control (C0, DEL, C1) and format (bidi, zero-width) characters, other than the line breaks we print. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u
const unsafeIn = (text: string) => text.replaceAll('\n', '').match(UNSAFE)

describe('decode: hostile tokens', () => {
  const names = Object.fromEntries(Object.entries(HOSTILE).map(([name, value]) => [`${value}${name}`, 1]))
  const hostile = `${part({ alg: 'RS256', kid: HOSTILE.link })}.${part({ ...HOSTILE, ...names })}.sig`

  it('prints control and format characters of claim names and values escaped, never raw', async () => {
    const run = captureIo()
    expect(await runDecode([hostile], run.io, NOW)).toBe(0)
    expect(unsafeIn(run.stdout)).toBeNull()
    expect(run.stdout).toContain('\\u001b[2Jclear')
    expect(run.stdout).toContain('"\\u009b31m"')
    expect(run.stdout).toContain('"harmless\\rforged"')
    expect(run.stdout).toContain('"\\u001b]8;;http://127.0.0.1/\\u0007click\\u001b]8;;\\u0007"')
    expect(run.stdout).toContain('"\\u202eevil"')
  })

  it('prints them escaped in --json too, as JSON that reads back to the same claims', async () => {
    const run = captureIo()
    expect(await runDecode([hostile, '--json'], run.io, NOW)).toBe(0)
    expect(unsafeIn(run.stdout)).toBeNull()
    const printed = JSON.parse(run.stdout) as { header: { kid: string }; claims: Record<string, unknown> }
    expect(printed.header.kid).toBe(HOSTILE.link)
    expect(printed.claims).toEqual({ ...HOSTILE, ...names })
  })
})

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
