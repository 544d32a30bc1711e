/**
 * A managed-identity endpoint's error answer → an {@link AuthorityError} with the server's code, its
 * message, the correlation id, `Retry-After`, and a hint. Each source has its own form
 * (docs/entra.md §10):
 * - IMDS, Azure Arc: `{ error, error_description }`
 * - App Service, Azure ML: `{ statusCode, message, correlationId }`
 * - Cloud Shell, Service Fabric: `{ error: { code, message, correlationId? } }`
 */
import { AuthorityError } from '../errors.js'
import { parseRetryAfter } from '../retry.js'
import type { IdentityResponse, ResponseContext } from './response.js'
import { retryableStatus } from './retry-policy.js'
import { type ManagedIdentitySourceKind, SOURCE_NAMES } from './source.js'

/** The fields every error form maps to. */
interface ErrorFields {
  error: string | undefined
  description: string | undefined
  correlationId: string | undefined
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
const DESCRIPTION_MAX = 500

/**
 * The error fields of `body`, whichever form it has.
 *
 * @example
 * ```ts
 * errorFields({ error: { code: 'BadRequest', message: 'no' } }) // { error: 'BadRequest', description: 'no', correlationId: undefined }
 * ```
 */
export function errorFields(body: Record<string, unknown> | undefined): ErrorFields {
  if (body === undefined) return { error: undefined, description: undefined, correlationId: undefined }
  const nested =
    typeof body.error === 'object' && body.error !== null
      ? (body.error as Record<string, unknown>)
      : undefined
  const description =
    text(body.error_description) ?? text(nested?.message) ?? text(body.message) ?? text(body.Message)
  return {
    error: text(body.error) ?? text(nested?.code) ?? text(body.code),
    description:
      description && description.length > DESCRIPTION_MAX
        ? `${description.slice(0, DESCRIPTION_MAX)}…`
        : description,
    correlationId:
      text(body.correlationId) ??
      text(body.correlation_id) ??
      text(nested?.correlationId) ??
      text(nested?.correlation_id),
  }
}

/**
 * The error an answer stands for.
 *
 * @example
 * ```ts
 * const error = managedIdentityError(
 *   { status: 400, headers: {}, text: '{"error":"invalid_request","error_description":"Identity not found"}', sentAt },
 *   { error: 'invalid_request', error_description: 'Identity not found' },
 *   { source: 'imds', resource: 'https://vault.azure.net', now: sentAt },
 * )
 * error.error // 'invalid_request'
 * ```
 */
export function managedIdentityError(
  response: IdentityResponse,
  body: Record<string, unknown> | undefined,
  context: ResponseContext,
): AuthorityError {
  const fields = errorFields(body)
  const retryAfter = response.headers['retry-after']
  const name = SOURCE_NAMES[context.source]
  const what = [fields.error, fields.description].filter(Boolean).join(': ')
  return new AuthorityError(
    `The ${name} managed identity endpoint answered ${response.status}${what ? ` (${what})` : ''}.`,
    {
      status: response.status,
      error: fields.error,
      errorDescription: fields.description,
      aadstsCodes: [...(fields.description ?? '').matchAll(/AADSTS(\d+)/g)].map((m) => Number(m[1])),
      correlationId: fields.correlationId,
      retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, context.now),
    },
    {
      retryable: retryableStatus(context.source, response.status),
      hint: hintFor(context.source, response.status, fields),
    },
  )
}

const SECRET_VARIABLE: Partial<Record<ManagedIdentitySourceKind, string>> = {
  'app-service': 'IDENTITY_HEADER',
  'service-fabric': 'IDENTITY_HEADER',
  'azure-ml': 'MSI_SECRET',
}

/** How the sources say that no identity matches (IMDS, App Service, Functions). */
const NO_IDENTITY = [
  'identity not found',
  'no managed identity',
  'identity is not',
  'no msi found',
  'msi not found',
]

function hintFor(source: ManagedIdentitySourceKind, status: number, fields: ErrorFields): string {
  const said = `${fields.error ?? ''} ${fields.description ?? ''}`.toLowerCase()
  if (NO_IDENTITY.some((phrase) => said.includes(phrase))) {
    return 'No managed identity matches the request on this resource: enable its system-assigned identity, or assign the user-assigned identity named by managedIdentity (clientId / objectId / resourceId) to it.'
  }
  if (
    said.includes('invalid_resource') ||
    said.includes('aadsts500011') ||
    said.includes('resource principal')
  ) {
    return "Check the resource: the API's App ID URI or resource URI (https://vault.azure.net, https://graph.microsoft.com), without /.default."
  }
  const secret = SECRET_VARIABLE[source]
  if ((status === 401 || status === 403) && secret) {
    return `The endpoint refused the ${secret} secret: it rotates with the host, so read it from the environment at start-up and never copy it between machines.`
  }
  if (status === 429)
    return 'The identity endpoint is throttling: cache tokens and share one client per process.'
  if (status >= 500) return 'The platform identity service failed; it was retried. Try again later.'
  if (status === 404 || status === 410)
    return 'The identity endpoint is not ready yet (starting or upgrading); try again later.'
  return 'Check the managedIdentity option and the resource against the identity assigned to this resource.'
}
