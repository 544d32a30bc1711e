/**
 * Properties of origin matching (authorizedFetch and the undici interceptor) and of the
 * `WWW-Authenticate` / CAE challenge parser (src/attach/challenge.ts).
 */
import fc from 'fast-check'
import type { Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { claimsChallenge, parseChallenges } from '../../src/attach/challenge.js'
import { createAuthorizedFetch } from '../../src/attach/fetch.js'
import { createAuthInterceptor } from '../../src/attach/interceptor.js'
import type { TokenSource } from '../../src/attach/source.js'
import { AccessToken } from '../../src/token.js'
import { anyText } from './arbitraries.js'

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJhcGkifQ.origin-property-signature'
const clock = { now: () => 1_000_000 }
const source: TokenSource = {
  getToken: async () =>
    new AccessToken({
      accessToken: TOKEN,
      requestedAt: 0,
      expiresAt: 3_600_000,
      refreshAt: 3_300_000,
      scope: 'api://myapis/mywebapi/.default',
      tenant: undefined,
    }),
}

interface Origin {
  scheme: 'https' | 'http'
  host: string
  /** The effective port. */
  port: number
}

const DEFAULT_PORT = { https: 443, http: 80 } as const

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/)
const dnsName = fc
  .array(label, { minLength: 2, maxLength: 4 })
  .map((labels) => labels.join('.'))
  // a last label starting with a digit may read as an IPv4 number (`a.0`, `a.0x1`), which URL parsers refuse
  .filter((name) => /\.[a-z][a-z0-9-]*$/.test(name) && !/(^|\.)xn--/.test(name))

const origin: fc.Arbitrary<Origin> = fc.oneof(
  fc.record({
    scheme: fc.constant('https' as const),
    host: dnsName,
    port: fc.oneof(fc.constant(443), fc.integer({ min: 1, max: 65_535 })),
  }),
  fc.record({
    scheme: fc.constantFrom('https' as const, 'http' as const),
    host: fc.constantFrom('localhost', '127.0.0.1', '[::1]'),
    port: fc.integer({ min: 1, max: 65_535 }),
  }),
)

/** A random-case spelling of `text`. */
function spelled(text: string, cases: readonly boolean[]): string {
  return [...text].map((c, i) => (cases[i % Math.max(1, cases.length)] ? c.toUpperCase() : c)).join('')
}

/** `o` written as a configured origin: upper or lower case, the default port written or not, a trailing slash or not. */
const configured = (o: Origin) =>
  fc
    .record({
      cases: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      port: fc.boolean(),
      slash: fc.boolean(),
    })
    .map(({ cases, port, slash }) => {
      const showPort = o.port !== DEFAULT_PORT[o.scheme] || port
      return `${spelled(o.scheme, cases)}://${spelled(o.host, cases)}${showPort ? `:${o.port}` : ''}${slash ? '/' : ''}`
    })

const tail = fc.constantFrom(
  '',
  '/',
  '/orders',
  '/orders?id=1',
  '/a/b#frag',
  '?q=https://evil.com',
  '/%2e%2e/x',
)

/** A request URL for the same origin as `o`, spelled differently. */
const sameOrigin = (o: Origin) =>
  fc
    .record({ cases: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), port: fc.boolean(), tail })
    .map(({ cases, port, tail: rest }) => {
      const showPort = o.port !== DEFAULT_PORT[o.scheme] || port
      return `${spelled(o.scheme, cases)}://${spelled(o.host, cases)}${showPort ? `:${o.port}` : ''}${rest}`
    })

/** A request URL for another origin than `o`: another scheme, port or host, or a host that merely contains `o`'s. */
const otherOrigin = (o: Origin) => {
  const port = o.port === DEFAULT_PORT[o.scheme] ? '' : `:${o.port}`
  const otherScheme = o.scheme === 'https' ? 'http' : 'https'
  const otherPort = fc.integer({ min: 1, max: 65_535 }).filter((p) => p !== o.port)
  return fc.oneof(
    fc.constant(`${otherScheme}://${o.host}:${o.port}/x`),
    otherPort.map((p) => `${o.scheme}://${o.host}:${p}/x`),
    fc.constantFrom(
      `${o.scheme}://${o.host}.evil.com${port}/x`,
      `${o.scheme}://${o.host}evil.com${port}/x`,
      `${o.scheme}://evil.${o.host}${port}/x`,
      `${o.scheme}://evil-${o.host}${port}/x`,
      `${o.scheme}://${o.host}@evil.com${port}/x`,
      `${o.scheme}://${o.host}${port}@evil.com/x`,
      `${o.scheme}://${o.host}:${o.port}@evil.com/x`,
      `${o.scheme}://evil.com${port}/${o.host}`,
      `${o.scheme}://evil.com${port}?${o.host}`,
      `${o.scheme}://evil.com${port}#${o.host}`,
      `${o.scheme}://evil.com\\@${o.host}${port}/x`,
      `ws://${o.host}${port}/x`,
      `wss://${o.host}${port}/x`,
      `ftp://${o.host}${port}/x`,
      `//${o.host}${port}/x`,
      `${o.host}${port}/x`,
      `/x`,
    ),
    // a DNS name with a trailing dot is another WHATWG origin (an IPv4 address with one is not)
    fc.constant(
      /[a-z]$/.test(o.host) ? `${o.scheme}://${o.host}.${port}/x` : `${otherScheme}://${o.host}${port}/x`,
    ),
    fc
      .stringMatching(/^[a-z]$/)
      .map(
        (c) =>
          `${o.scheme}://${o.host.replace(/[a-z0-9]/, (m) => (m !== c ? c : c === 'q' ? 'z' : 'q'))}${port}/x`,
      ),
  )
}

/** Whether authorizedFetch sent `url` with our token. */
async function fetchAttaches(configuredOrigin: string, url: string): Promise<boolean> {
  let authorization: string | null = 'not sent'
  const api = createAuthorizedFetch(source, {
    resource: 'api://myapis/mywebapi',
    origins: [configuredOrigin],
    clock,
    fetch: async (_input, init) => {
      authorization = new Headers(init?.headers).get('authorization')
      return new Response('ok')
    },
  })
  try {
    await api(url)
  } catch {
    return false // not sent at all (fetch's own refusal of a relative URL)
  }
  expect(authorization).not.toBe('not sent')
  return authorization === `Bearer ${TOKEN}`
}

/** Whether the interceptor dispatched a request for `requestOrigin` with our token. */
async function interceptorAttaches(configuredOrigin: string, requestOrigin: string): Promise<boolean> {
  const interceptor = createAuthInterceptor(
    source,
    { [configuredOrigin]: 'api://myapis/mywebapi' },
    { clock },
  )
  const dispatched = new Promise<Dispatcher.DispatchOptions>((resolve) => {
    const dispatch = interceptor((opts) => {
      resolve(opts)
      return true
    })
    dispatch({ origin: requestOrigin, path: '/x', method: 'GET', headers: ['accept', '*/*'] }, {})
  })
  const { headers } = await dispatched
  const list = Array.isArray(headers) ? (headers as string[]) : []
  return list.some((value, i) => i % 2 === 0 && value.toLowerCase() === 'authorization')
}

const sameCase = origin.chain((o) => fc.tuple(configured(o), sameOrigin(o)))
const otherCase = origin.chain((o) => fc.tuple(configured(o), otherOrigin(o)))

describe('origin matching', () => {
  it('authorizedFetch attaches the token to its origin in any spelling: letter case, default port, path, query', async () => {
    await fc.assert(
      fc.asyncProperty(sameCase, async ([config, url]) => {
        expect(await fetchAttaches(config, url), `${config} → ${url}`).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('authorizedFetch never attaches the token to another scheme, port or host, nor to a host that merely contains the origin', async () => {
    await fc.assert(
      fc.asyncProperty(otherCase, async ([config, url]) => {
        expect(await fetchAttaches(config, url), `${config} → ${url}`).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('the interceptor attaches the token to exactly the same origins as authorizedFetch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(sameCase, otherCase), async ([config, url]) => {
        fc.pre(URL.canParse(url))
        const requestOrigin = new URL(url).origin
        fc.pre(requestOrigin !== 'null')
        const viaInterceptor = await interceptorAttaches(config, requestOrigin)
        expect(viaInterceptor, `${config} → ${requestOrigin}`).toBe(await fetchAttaches(config, url))
      }),
      { numRuns: 500 },
    )
  })
})

/** RFC 9110 token characters. */
const token = fc.string({
  unit: fc.constantFrom(..."!#$%&'*+.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-"),
  minLength: 1,
  maxLength: 10,
})
/** Printable header text for a quoted string (quotes and backslashes escaped when written). */
const quotedText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
})

interface ChallengeSpec {
  scheme: string
  params: Array<[string, string, 'token' | 'quoted']>
}

const challenge: fc.Arbitrary<ChallengeSpec> = fc.record({
  scheme: token,
  params: fc.array(
    fc.oneof(
      fc.tuple(token, token, fc.constant('token' as const)),
      fc.tuple(token, quotedText, fc.constant('quoted' as const)),
    ),
    { maxLength: 4 },
  ),
})

function written(challenges: readonly ChallengeSpec[]): string {
  return challenges
    .map(({ scheme, params }) => {
      const list = params.map(([name, value, kind]) =>
        kind === 'token' ? `${name}=${value}` : `${name}="${value.replace(/["\\]/g, '\\$&')}"`,
      )
      return list.length ? `${scheme} ${list.join(', ')}` : scheme
    })
    .join(', ')
}

describe('WWW-Authenticate parsing', () => {
  it('never throws on any header text, and gives challenges with lower-case schemes and parameter names', () => {
    const header = fc.oneof(
      anyText(120),
      fc.array(challenge, { maxLength: 3 }).map(written),
      fc.tuple(fc.array(challenge, { maxLength: 3 }).map(written), anyText(20)).map(([a, b]) => `${a}${b}`),
    )
    fc.assert(
      fc.property(header, (text) => {
        for (const c of parseChallenges(text)) {
          expect(c.scheme).toBe(c.scheme.toLowerCase())
          for (const name of Object.keys(c.params)) expect(name).toBe(name.toLowerCase())
        }
        const claims = claimsChallenge(text)
        if (claims !== undefined) expect(typeof JSON.parse(claims)).toBe('object')
      }),
      { numRuns: 5000 },
    )
  })

  it('reads back every well-formed list of challenges: schemes in order, the first value of each parameter', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), (challenges) => {
        const expected = challenges.map(({ scheme, params }) => {
          const map: Record<string, string> = {}
          for (const [name, value] of params) map[name.toLowerCase()] ??= value
          return { scheme: scheme.toLowerCase(), params: map }
        })
        expect(parseChallenges(written(challenges))).toEqual(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it('finds the claims of a CAE challenge among other challenges, in base64 or base64url', () => {
    const others = fc.array(
      challenge.filter((c) => c.scheme.toLowerCase() !== 'bearer'),
      { maxLength: 2 },
    )
    const object = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
    fc.assert(
      fc.property(others, others, object, fc.boolean(), (before, after, claims, url) => {
        const json = JSON.stringify(claims)
        const encoded = Buffer.from(json).toString(url ? 'base64url' : 'base64')
        const cae = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${encoded}"`
        const header = [written(before), cae, written(after)].filter(Boolean).join(', ')
        expect(claimsChallenge(header)).toBe(json)
      }),
      { numRuns: 2000 },
    )
  })
})
