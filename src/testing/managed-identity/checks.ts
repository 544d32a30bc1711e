/**
 * The request checks the sources share: the method, the shared-secret header (App Service, Azure ML,
 * Service Fabric; compared in constant time) and the one api-version.
 */
import { timingSafeEqual } from 'node:crypto'
import { headerValue, type IdentityCall } from './call.js'
import { IdentityRefusal } from './refusal.js'

/**
 * Refuses (401) a request whose `header` is missing or is not `secret`.
 *
 * @example
 * ```ts
 * checkSecretHeader(call, 'x-identity-header', identityHeader)
 * ```
 */
export function checkSecretHeader(call: IdentityCall, header: string, secret: string): void {
  const sent = Buffer.from(headerValue(call.headers, header) ?? '')
  const expected = Buffer.from(secret)
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new IdentityRefusal(401, 'unauthorized', `The ${header} header is missing or wrong`)
  }
}

/**
 * Refuses (400) a request whose `api-version` is not `expected`.
 *
 * @example
 * ```ts
 * checkApiVersion(call, '2017-09-01')
 * ```
 */
export function checkApiVersion(call: IdentityCall, expected: string): void {
  const version = call.url.searchParams.get('api-version')
  if (version !== expected) {
    throw new IdentityRefusal(
      400,
      'invalid_request',
      `api-version must be ${expected}, not '${version ?? ''}'`,
    )
  }
}

/**
 * Refuses (405) a request with another method.
 *
 * @example
 * ```ts
 * checkMethod(call, 'POST')
 * ```
 */
export function checkMethod(call: IdentityCall, method: 'GET' | 'POST'): void {
  if (call.method !== method) {
    throw new IdentityRefusal(405, 'invalid_request', `Only ${method} is supported`)
  }
}
