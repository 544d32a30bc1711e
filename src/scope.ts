/**
 * `/.default` scopes for Entra's client-credentials grant (docs/entra.md §5).
 */
import { isGuid } from './authority.js'
import { ConfigurationError } from './errors.js'

const DEFAULT_SUFFIX = '/.default'
const URI_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\/[^\s/]/i
/** URI characters (RFC 3986) and the non-ASCII characters of an IRI (RFC 3987): no control, space or format character. */
const URI_CHARACTERS =
  /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}|[^\p{Cc}\p{Z}\p{Cs}\p{Cf}\p{ASCII}])*$/u

const SCOPE_RULE =
  'Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI), as Entra answers with AADSTS1002012.'

/**
 * The one scope Entra accepts for the client-credentials grant: the API's App ID URI or application id
 * followed by `/.default`. A URI that ends in `/` keeps it; an already-suffixed scope passes as it is.
 * Anything else (a delegated scope, several scopes, an empty string) throws a {@link ConfigurationError}
 * before anything is sent.
 *
 * @example
 * ```ts
 * scopeFor('api://myapis/mywebapi')         // 'api://myapis/mywebapi/.default'
 * scopeFor('https://database.windows.net/') // 'https://database.windows.net//.default'
 * scopeFor('https://graph.microsoft.com/.default') // unchanged
 * ```
 */
export function scopeFor(resource: string): string {
  const suffixed = resource.endsWith(DEFAULT_SUFFIX)
  const base = suffixed ? resource.slice(0, -DEFAULT_SUFFIX.length) : resource
  const problem = resourceProblem(base)
  if (problem) throw new ConfigurationError('resource', problem, { hint: SCOPE_RULE })
  // a scope given whole is kept as it is: a memoised request then holds no copy of it (issue 17)
  return suffixed ? resource : `${base}${DEFAULT_SUFFIX}`
}

/**
 * The resource named by a `/.default` scope or resource identifier, for Entra's v1 endpoint (which takes
 * `resource`, never a `/.default` scope).
 *
 * @example
 * ```ts
 * resourceFor('api://myapis/mywebapi/.default') // 'api://myapis/mywebapi'
 * ```
 */
export function resourceFor(resourceOrScope: string): string {
  return scopeFor(resourceOrScope).slice(0, -DEFAULT_SUFFIX.length)
}

function resourceProblem(base: string): string | undefined {
  if (base.length === 0) return 'is empty: name the API by its App ID URI (api://…) or application id.'
  if (/\s/.test(base)) {
    return `'${base}' holds whitespace: client credentials take exactly one resource, as one {resource}/.default scope (several give AADSTS700022).`
  }
  if (isGuid(base) || (URI_WITH_SCHEME.test(base) && URI_CHARACTERS.test(base) && URL.canParse(base))) {
    return undefined
  }
  return `'${base}' is not an App ID URI or application id: delegated scopes such as User.Read cannot be used with client credentials. ${SCOPE_RULE}`
}
