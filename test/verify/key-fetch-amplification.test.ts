/**
 * Issue 13, finding 2: unauthenticated requests must not make the API fetch signing keys again and
 * again. Forged tokens (signed with a key nobody publishes) that vary the `tid` (case, whitespace,
 * unicode look-alikes, domain names) or fail a cheap claim check cost no key fetch beyond the one
 * key set per allowed tenant; the key-set cache is bounded whatever the JWKS URLs are.
 */

import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenVerificationError } from '../../src/errors.js'
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/verify/index.js'
import { createSignatureChecker } from '../../src/verify/keys.js'
import {
  API_APP_ID,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  NOW,
  OTHER_TENANT,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  v2Claims,
} from './support.js'

let key: TestKey
let forger: TestKey
let server: JwksServer

beforeAll(async () => {
  ;[key, forger] = await Promise.all([createTestKey('key-1'), createTestKey('key-1')])
  server = await startJwksServer([key])
})
afterAll(() => server.close())
beforeEach(() => server.requests.clear())

/** A multi-tenant API whose keys come from each tenant's own JWKS path (the default). */
function multiTenantVerifier(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    tenants: [TENANT, OTHER_TENANT],
    audience: API_APP_ID,
    authorityHost: server.origin,
    now: clock,
    ...options,
  } as TokenVerifierOptions)
}

const issuerOf = (tid: string) => `${server.origin}/${tid}/v2.0`

/** Flips the case of the letters of a GUID at the positions set in `mask`. */
function caseVariant(guid: string, mask: number): string {
  let bit = 0
  return [...guid]
    .map((char) => {
      if (!/[a-f]/.test(char)) return char
      const flip = (mask >> bit++) & 1
      return flip ? char.toUpperCase() : char
    })
    .join('')
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(TokenVerificationError)
  return (error as TokenVerificationError).reason
}

describe('tid variants', () => {
  it('fetches the keys of a tenant once, whatever the case of the forged tokens’ tid', async () => {
    const verifier = multiTenantVerifier()
    for (let mask = 1; mask <= 40; mask++) {
      const tid = caseVariant(TENANT, mask)
      const forged = await mint(forger, v2Claims({ tid, iss: issuerOf(tid) }))
      await rejectionOf(verifier.verify(forged))
    }
    expect(server.total()).toBeLessThanOrEqual(1)
  })

  it('reports the allow-listed spelling of the tenant for a signed token with an upper-case tid', async () => {
    const tid = TENANT.toUpperCase()
    const token = await mint(key, v2Claims({ tid, iss: issuerOf(TENANT) }))
    const result = await multiTenantVerifier().verify(token)
    expect([result.tenantId, result.claims.tid]).toEqual([TENANT, TENANT])
    expect([...server.requests.keys()]).toEqual([`/${TENANT}/discovery/v2.0/keys`])
  })

  it('refuses an issuer spelled with another case than the allow-listed tenant, before fetching keys', async () => {
    const tid = TENANT.toUpperCase()
    const token = await mint(key, v2Claims({ tid, iss: issuerOf(tid) }))
    expect(await reasonOf(multiTenantVerifier().verify(token))).toBe('issuer')
    expect(server.total()).toBe(0)
  })

  it.each([
    ['a leading space', ` ${TENANT}`],
    ['a trailing newline', `${TENANT}\n`],
    ['a domain name', 'contoso.onmicrosoft.com'],
    ['fullwidth letters', TENANT.replace(/[a-f]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
    ['braces', `{${TENANT}}`],
    ['no hyphens', TENANT.replaceAll('-', '')],
  ])('refuses a tid with %s as a tenant not allowed, before fetching keys', async (_name, tid) => {
    const token = await mint(key, v2Claims({ tid, iss: issuerOf(tid) }))
    expect(await reasonOf(multiTenantVerifier().verify(token))).toBe('tenant')
    expect(server.total()).toBe(0)
  })

  it('never fetches more key sets than there are allowed tenants, for any forged tid', async () => {
    const verifier = multiTenantVerifier()
    const tid = fc.oneof(
      fc.integer({ min: 0, max: 4095 }).map((mask) => caseVariant(TENANT, mask)),
      fc.integer({ min: 0, max: 4095 }).map((mask) => caseVariant(OTHER_TENANT, mask)),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.tuple(fc.constantFrom(TENANT, OTHER_TENANT), fc.string({ maxLength: 3 })).map(([a, b]) => a + b),
    )
    await fc.assert(
      fc.asyncProperty(tid, async (value) => {
        const forged = await mint(forger, v2Claims({ tid: value, iss: issuerOf(value) }))
        await rejectionOf(verifier.verify(forged))
        expect(server.requests.size).toBeLessThanOrEqual(2)
        for (const path of server.requests.keys()) {
          expect([`/${TENANT}/discovery/v2.0/keys`, `/${OTHER_TENANT}/discovery/v2.0/keys`]).toContain(path)
        }
      }),
      { numRuns: 150 },
    )
  })
})

describe('cheap checks come before any key fetch', () => {
  type Overrides = (issuer: (tid: string) => string) => Record<string, unknown>
  it.each<[string, Overrides, string]>([
    ['an issuer for another tenant', (iss) => ({ iss: iss(OTHER_TENANT) }), 'issuer'],
    ['a v1 issuer on a v2 token', () => ({ iss: `https://sts.windows.net/${TENANT}/` }), 'issuer'],
    ['no iss', () => ({ iss: undefined }), 'malformed'],
    ['another audience', () => ({ aud: 'api://somebody-else' }), 'audience'],
    ['an expiry a day ago', () => ({ exp: NOW / 1000 - 86_400 }), 'expired'],
    ['an nbf a day ahead', () => ({ nbf: NOW / 1000 + 86_400 }), 'not_yet_valid'],
    ['a roles claim that is not a list', () => ({ roles: 'Orders.Admin' }), 'malformed'],
  ])('refuses a forged token with %s without fetching keys', async (_name, overrides, reason) => {
    const forged = await mint(forger, v2Claims({ iss: issuerOf(TENANT), ...overrides(issuerOf) }))
    expect(await reasonOf(multiTenantVerifier().verify(forged))).toBe(reason)
    expect(server.total()).toBe(0)
  })
})

describe('the key-set cache', () => {
  it('holds at most maxKeySets key sets, evicting the least recently used', async () => {
    const checker = createSignatureChecker({
      jwksUriFor: (tenantId) => server.jwksUri(tenantId),
      algorithms: ['RS256'],
      jwks: { timeoutMs: 5000, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 },
      maxKeySets: 2,
    })
    const token = await mint(key, v2Claims())
    for (const tenantId of ['a', 'b', 'a', 'c', 'a', 'b']) {
      expect(await checker.verify(token, { tenantId, kid: key.kid })).toHaveProperty('payload')
    }
    // a, b, (a cached), c evicts b, (a cached), b again: a fetched once, b twice, c once.
    expect(Object.fromEntries(server.requests)).toEqual({
      [server.jwksUri('a').replace(server.origin, '')]: 1,
      [server.jwksUri('b').replace(server.origin, '')]: 2,
      [server.jwksUri('c').replace(server.origin, '')]: 1,
    })
  })
})
