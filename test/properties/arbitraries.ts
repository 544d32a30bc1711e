/**
 * fast-check arbitraries shared by the property tests.
 */
import fc from 'fast-check'

/** A GUID in any letter case (the all-zero GUID included). */
export function guid(): fc.Arbitrary<string> {
  return fc.tuple(fc.uuid(), fc.boolean()).map(([id, upper]) => (upper ? id.toUpperCase() : id))
}

const URI_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~'

/** A path segment of unreserved characters (never `.default` on its own). */
export function segment(): fc.Arbitrary<string> {
  return fc
    .string({ unit: fc.constantFrom(...URI_CHARS), minLength: 1, maxLength: 12 })
    .filter((s) => s !== '.default' && s !== '.' && s !== '..')
}

/** An App ID URI or resource URI: `scheme://host[/path][/]`, as Entra accepts them. */
export function appIdUri(): fc.Arbitrary<string> {
  const scheme = fc.oneof(
    fc.constantFrom('api', 'https', 'http', 'spn'),
    fc.stringMatching(/^[a-z][a-z0-9+.-]{0,6}$/),
  )
  const host = fc.oneof(
    fc.domain(),
    fc.uuid(),
    segment().filter((s) => /^[a-z0-9]/i.test(s)),
  )
  return fc
    .record({ scheme, host, path: fc.array(segment(), { maxLength: 3 }), slash: fc.boolean() })
    .map(({ scheme, host, path, slash }) => {
      const tail = path.length ? `/${path.join('/')}` : ''
      return `${scheme}://${host}${tail}${slash ? '/' : ''}`
    })
    .filter((uri) => URL.canParse(uri))
}

/** Any text: full Unicode (lone surrogates included), ASCII, and the characters URLs care about. */
export function anyText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc.string({
      unit: fc.constantFrom(..."aZ09.-_~:/\\?#[]@!$&'()*+,;=% \t\r\n\u0000\u00a0\u2028\ufeffｃ"),
      maxLength,
    }),
  )
}
