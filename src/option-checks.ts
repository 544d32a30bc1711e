/**
 * The rules between `TokenClient` options that one field's schema cannot say (which identity, which
 * authority, what goes with what), reported as zod issues at the option's path, so `parseWith` names the
 * field and its fix like any other problem.
 */
import { isGuid, tenantProblem } from './authority.js'
import { CREDENTIAL_MISSING } from './credential-schema.js'
import { DPOP_NEEDS_GENERIC } from './option-dpop.js'
import { mtlsChecks } from './option-mtls.js'
import type { ValidTokenClientOptions } from './options.js'

type Issues = { code: 'custom'; input: unknown; message: string; path: PropertyKey[] }[]

/**
 * Adds an issue to `issues` for each cross-field rule `o` breaks.
 *
 * @example
 * ```ts
 * z.object(fields).check((ctx) => crossChecks(ctx.value, ctx.issues))
 * ```
 */
export function crossChecks(o: ValidTokenClientOptions, issues: unknown[]): void {
  const add = (path: string, message: string) =>
    (issues as Issues).push({ code: 'custom', input: undefined, message, path: [path] })
  if (o.managedIdentity !== undefined) {
    managedIdentityChecks(o, add)
    return
  }
  if (!appIdentityChecks(o, add)) return
  if (o.dpop !== undefined && o.tokenEndpoint === undefined) add('dpop', DPOP_NEEDS_GENERIC)
  mtlsChecks(o, add)
  if (o.tokenEndpoint !== undefined) {
    if (o.clientCapabilities !== undefined)
      add('clientCapabilities', "is Entra's (xms_cc, for CAE): not for a tokenEndpoint server")
    for (const key of ['tenant', 'cloud', 'authorityHost', 'endpointVersion'] as const) {
      if (o[key] !== undefined)
        add(key, 'cannot be combined with tokenEndpoint: tokenEndpoint replaces the Entra authority')
    }
    return
  }
  if (o.tenant === undefined) {
    add(
      'tenant',
      'is required: give the Entra tenant id or domain (or tokenEndpoint for another OAuth server)',
    )
  } else {
    const problem = tenantProblem(o.tenant)
    if (problem) add('tenant', problem)
  }
  if (o.cloud !== undefined && o.authorityHost !== undefined)
    add('authorityHost', 'give cloud or authorityHost, not both')
  if (!isGuid(o.clientId ?? '')) add('clientId', 'must be the application (client) id, a GUID, for Entra')
}

/** An app registration needs its client id and a credential; `imdsBaseUrl`, `environment` only with a managed identity. */
function appIdentityChecks(
  o: ValidTokenClientOptions,
  add: (path: string, message: string) => void,
): boolean {
  for (const key of ['imdsBaseUrl', 'environment'] as const) {
    if (o[key] !== undefined && !('managedIdentity' in (o.credential ?? {})))
      add(key, 'is for a managed identity: give managedIdentity, or credential: { managedIdentity }')
  }
  if (o.credential === undefined) add('credential', CREDENTIAL_MISSING)
  if (o.clientId !== undefined) return true
  add('clientId', 'is required: give the application (client) id, or managedIdentity for a managed identity')
  return false
}

/** The identity is the managed identity: no app, no credential, no authority of ours. */
function managedIdentityChecks(
  o: ValidTokenClientOptions,
  add: (path: string, message: string) => void,
): void {
  const exclusive = ['tenant', 'clientId', 'credential', 'tokenEndpoint', 'cloud', 'authorityHost'] as const
  for (const key of exclusive) {
    if (o[key] !== undefined)
      add(
        key,
        "cannot be combined with managedIdentity: the managed identity is the identity (to use it as an app's credential, write credential: { managedIdentity })",
      )
  }
  for (const key of ['endpointVersion', 'authMethod', 'dpop', 'mtlsProofOfPossession', 'mtls'] as const) {
    if (o[key] !== undefined) add(key, 'does not apply to a managed identity: remove it')
  }
}
