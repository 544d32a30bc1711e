/**
 * Properties of `scopeFor` (docs/entra.md §5): the one `/.default` scope, built from an App ID URI or an
 * application id, and nothing else.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { resourceFor, scopeFor } from '../../src/scope.js'
import { anyText, appIdUri, guid } from './arbitraries.js'

const SUFFIX = '/.default'

/**
 * The characters of a URI (RFC 3986: unreserved, reserved, percent-encoded octets) or an IRI (RFC 3987:
 * non-ASCII characters that are neither controls, spaces nor surrogates).
 */
const URI_TEXT =
  /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}|[^\p{Cc}\p{Z}\p{Cs}\p{Cf}\p{ASCII}])*$/u

/**
 * An independent reading of what a resource may be: a GUID, or an absolute URI with an authority
 * (`scheme://host…`) made of URI characters only, that a WHATWG URL parser accepts.
 */
function isResource(value: string): boolean {
  if (/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value)) return true
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(value) && URI_TEXT.test(value) && URL.canParse(value)
}

/** What `scopeFor` did with `value`: its scope, or the error it threw. */
function outcome(value: string): { scope: string } | { error: unknown } {
  try {
    return { scope: scopeFor(value) }
  } catch (error) {
    return { error }
  }
}

const resource = fc.oneof(guid(), appIdUri())

describe('scopeFor', () => {
  it('turns every App ID URI or application id into that resource followed by exactly one /.default', () => {
    fc.assert(
      fc.property(resource, (value) => {
        const scope = scopeFor(value)
        expect(scope).toBe(`${value}${SUFFIX}`)
        expect(scope.slice(0, -SUFFIX.length).endsWith(SUFFIX)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('is idempotent on its own output, and resourceFor gives the resource back', () => {
    fc.assert(
      fc.property(resource, (value) => {
        const scope = scopeFor(value)
        expect(scopeFor(scope)).toBe(scope)
        expect(resourceFor(scope)).toBe(value)
        expect(resourceFor(value)).toBe(value)
      }),
      { numRuns: 1000 },
    )
  })

  it('keeps the trailing slash of a resource URI: …/ becomes …//.default', () => {
    fc.assert(
      fc.property(appIdUri(), (uri) => {
        const withSlash = uri.endsWith('/') ? uri : `${uri}/`
        expect(scopeFor(withSlash)).toBe(`${withSlash}${SUFFIX}`)
        expect(scopeFor(withSlash).endsWith(`/${SUFFIX}`)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('refuses a resource holding whitespace anywhere with a ConfigurationError on the resource', () => {
    const whitespace = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\u2003',
      '\u3000',
      '\ufeff',
      '\u2028',
    )
    fc.assert(
      fc.property(resource, fc.nat(), whitespace, (value, at, space) => {
        const index = at % (value.length + 1)
        const spaced = `${value.slice(0, index)}${space}${value.slice(index)}`
        const result = outcome(spaced)
        expect(result).toHaveProperty('error')
        if ('error' in result) {
          expect(result.error).toBeInstanceOf(ConfigurationError)
          expect((result.error as ConfigurationError).path).toBe('resource')
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('accepts exactly the GUIDs and absolute URIs, and answers anything else with a ConfigurationError, never another exception', () => {
    const tricky = fc.oneof(
      anyText(),
      fc.constantFrom(
        'User.Read',
        'openid',
        '.default',
        '/.default',
        '//.default',
        'api:/x',
        'api//x',
        '://x',
        'https://',
        'https:///x',
        'https://[',
        'https://[::1',
        'https://host:99999',
        'https://a b',
        'urn:contoso:api',
        'api://x/.default/.default',
        '00000000-0000-0000-0000-00000000000g',
      ),
      fc.tuple(appIdUri(), anyText()).map(([uri, tail]) => `${uri}${tail}`),
      fc.tuple(anyText(), guid()).map(([head, id]) => `${head}${id}`),
    )
    fc.assert(
      fc.property(tricky, (value) => {
        const base = value.endsWith(SUFFIX) ? value.slice(0, -SUFFIX.length) : value
        const result = outcome(value)
        if ('scope' in result) {
          expect(isResource(base), `accepted ${JSON.stringify(value)}`).toBe(true)
          expect(result.scope).toBe(`${base}${SUFFIX}`)
        } else {
          expect(result.error).toBeInstanceOf(ConfigurationError)
          expect(isResource(base), `refused ${JSON.stringify(value)}`).toBe(false)
        }
      }),
      { numRuns: 3000 },
    )
  })
})
