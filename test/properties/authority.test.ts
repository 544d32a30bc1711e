/**
 * Properties of tenant and authority validation (docs/entra.md §1-2, docs/design.md §6): nothing but a GUID or a DNS
 * name reaches the token endpoint URL, the URL is built exactly, and credentials go over https or to
 * loopback hosts only.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CLOUD_HOSTS, insecureUrlProblem, tenantProblem, tokenEndpointUrl } from '../../src/authority.js'
import { anyText, guid } from './arbitraries.js'

const PATHS = { v1: ['oauth2', 'token'], v2: ['oauth2', 'v2.0', 'token'] } as const

/** An independent reading of a tenant: a GUID other than the all-zero one, or a DNS name of two or more labels. */
function isTenant(value: string): boolean {
  if (/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value)) return /[1-9a-f]/i.test(value)
  if (['common', 'organizations', 'consumers'].includes(value.toLowerCase())) return false
  const labels = value.split('.')
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label))
  )
}

/** Tenant-like text: domains, GUIDs, pseudo tenants, path and URL tricks, any text. */
function tenantCandidate(): fc.Arbitrary<string> {
  const trick = fc.constantFrom(
    'common',
    'Organizations',
    'CONSUMERS',
    '00000000-0000-0000-0000-000000000000',
    'contoso.onmicrosoft.com/oauth2',
    'contoso.onmicrosoft.com?x=1',
    'contoso.onmicrosoft.com#x',
    '../contoso.onmicrosoft.com',
    'contoso..onmicrosoft.com',
    '.contoso.com',
    'contoso.com.',
    '-contoso.com',
    'contoso-.com',
    'contoso.com%2f..',
    'evil.com@contoso.com',
    'con\u0000toso.com',
    'ｃontoso.com',
    'bücher.example',
    'xn--bcher-kva.example',
    'localhost',
    '127.0.0.1',
    '[::1]',
    'token',
    'a'.repeat(64) + '.com',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
  )
  return fc.oneof(
    fc.domain(),
    guid(),
    trick,
    anyText(),
    fc.tuple(fc.domain(), anyText(8)).map(([d, tail]) => `${d}${tail}`),
    fc.tuple(anyText(8), fc.domain()).map(([head, d]) => `${head}${d}`),
  )
}

const authorityHost = fc.oneof(
  fc.constantFrom(...Object.values(CLOUD_HOSTS), 'http://127.0.0.1:8400', 'http://localhost:3000'),
  fc.domain().map((d) => `https://${d}`),
)

describe('tenant validation', () => {
  it('accepts exactly the GUIDs (not all zero) and the DNS names, and refuses the pseudo tenants', () => {
    fc.assert(
      fc.property(tenantCandidate(), (tenant) => {
        const problem = tenantProblem(tenant)
        expect(problem === undefined, JSON.stringify(tenant)).toBe(isTenant(tenant))
        if (problem !== undefined) expect(typeof problem).toBe('string')
      }),
      { numRuns: 3000 },
    )
  })

  it('lets only letters, digits, dots and hyphens reach the URL', () => {
    fc.assert(
      fc.property(tenantCandidate(), (tenant) => {
        fc.pre(tenantProblem(tenant) === undefined)
        expect(tenant).toMatch(/^[A-Za-z0-9.-]+$/)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('token endpoint URL', () => {
  it('always parses, keeps the authority host, and has exactly the tenant segment and the endpoint path', () => {
    fc.assert(
      fc.property(authorityHost, tenantCandidate(), fc.constantFrom('v1', 'v2'), (host, tenant, version) => {
        fc.pre(tenantProblem(tenant) === undefined)
        const text = tokenEndpointUrl(host, tenant, version)
        expect(URL.canParse(text)).toBe(true)
        const url = new URL(text)
        expect(url.origin).toBe(new URL(host).origin)
        expect(url.search).toBe('')
        expect(url.hash).toBe('')
        expect(url.username + url.password).toBe('')
        expect(url.pathname.split('/').slice(1)).toEqual([tenant, ...PATHS[version]])
        expect(text).toBe(`${host}/${tenant}/${PATHS[version].join('/')}`)
      }),
      { numRuns: 3000 },
    )
  })
})

/** Hosts that are (nearly all) not loopback, spelled in the ways an attacker might. */
const otherHosts = fc.oneof(
  fc.domain().filter((d) => d !== 'localhost'),
  fc.ipV4().filter((ip) => !ip.startsWith('127.')),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.constantFrom(
    'localhost.evil.com',
    'evil-localhost',
    '127.0.0.1.nip.io',
    '127.0.0.1.evil.com',
    'localhost.',
    '128.0.0.1',
    '[::2]',
    '[::ffff:8.8.8.8]',
  ),
)

const loopback = fc.oneof(
  fc.constant('localhost'),
  fc.constant('LOCALHOST'),
  fc.constant('[::1]'),
  fc.constant('[0:0:0:0:0:0:0:1]'),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
)

const port = fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined })
const url = (scheme: string, host: string, p: number | undefined, path: string) =>
  new URL(`${scheme}://${host}${p === undefined ? '' : `:${p}`}${path}`)
const path = fc.constantFrom('', '/', '/tenant/oauth2/v2.0/token', '/x?y=1#z')

describe('insecure URL check', () => {
  it('accepts every https URL', () => {
    fc.assert(
      fc.property(fc.oneof(otherHosts, loopback), port, path, (host, p, tail) => {
        expect(insecureUrlProblem(url('https', host, p, tail))).toBeUndefined()
      }),
      { numRuns: 1000 },
    )
  })

  it('accepts http to a loopback host only, and refuses it for every other host', () => {
    fc.assert(
      fc.property(fc.oneof(otherHosts, loopback), port, path, (host, p, tail) => {
        const target = url('http', host, p, tail)
        // the host as the WHATWG parser normalised it (lower case, IPv6 compressed): what is connected to
        const isLoopback = /^(localhost|\[::1\]|127\.\d+\.\d+\.\d+)$/.test(target.hostname)
        expect(insecureUrlProblem(target) === undefined, host).toBe(isLoopback)
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses every other scheme, whatever the host', () => {
    const scheme = fc.oneof(
      fc.constantFrom('ftp', 'ws', 'wss', 'file', 'httpx', 'https2', 'api', 'data'),
      fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/).filter((s) => s !== 'http' && s !== 'https'),
    )
    fc.assert(
      fc.property(scheme, fc.oneof(otherHosts, loopback), (s, host) => {
        fc.pre(URL.canParse(`${s}://${host}/`))
        expect(insecureUrlProblem(new URL(`${s}://${host}/`))).toMatch(/https/)
      }),
      { numRuns: 1000 },
    )
  })
})
