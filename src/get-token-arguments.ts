/**
 * The checks of `getToken`'s arguments that the schemas cannot phrase well: an array of scopes (the
 * `@azure/identity` habit), a missing or mistyped resource. A string, the common case, costs one
 * `typeof`. The per-call options go through their zod schema (`parseGetTokenOptions`, options.ts).
 */
import { ConfigurationError } from './errors.js'

const EXAMPLES = "e.g. getToken('api://myapis/mywebapi') or getToken('https://graph.microsoft.com/.default')"
const AZURE_NOTE =
  'For @azure/* SDK clients, which call getToken(scopes), pass client.asTokenCredential() instead.'

/**
 * Throws a {@link ConfigurationError} (path `resource`) unless `resource` is a string or an object
 * (a token request, checked later by its schema).
 *
 * @example
 * ```ts
 * checkResourceArgument(['https://graph.microsoft.com/.default'], 'entra') // throws: an array
 * ```
 */
export function checkResourceArgument(resource: unknown, authority: 'entra' | 'generic'): void {
  if (typeof resource === 'string') return
  if (Array.isArray(resource)) throw arrayError(resource, authority)
  if (typeof resource === 'object' && resource !== null) return
  const problem =
    resource === undefined
      ? 'is missing: getToken takes the API to get a token for'
      : `must be a string (an App ID URI or scope) or { scope, resource }, not ${resource === null ? 'null' : typeof resource}`
  throw new ConfigurationError('resource', problem, { hint: `Pass the API, ${EXAMPLES}.` })
}

function arrayError(scopes: unknown[], authority: 'entra' | 'generic'): ConfigurationError {
  const shown = scopes.every(showable) ? (scopes as string[]) : undefined
  let fix: string
  if (authority === 'generic') {
    const list = shown?.length ? shown.map((s) => `'${s}'`).join(', ') : "'read', 'write'"
    fix = `Pass the scopes as a token request: getToken({ scope: [${list}] }).`
  } else if (shown?.length === 1) {
    fix = `Pass the one scope as a string: getToken('${shown[0]}').`
  } else {
    fix = `Pass one resource as a string, ${EXAMPLES}; Entra gives one token per resource, so call getToken once for each.`
  }
  return new ConfigurationError(
    'resource',
    "is an array: getToken takes one resource string (or { scope, resource }), not the list of scopes @azure/identity's getToken takes",
    { hint: `${fix} ${AZURE_NOTE}` },
  )
}

/** Whether a scope may be repeated in a hint: short, printable, no quote or backslash (scopes are not secrets). */
function showable(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 200 &&
    /^[\x21-\x26\x28-\x5b\x5d-\x7e]+$/.test(value)
  )
}
