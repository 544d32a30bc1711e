/**
 * The managed-identity endpoints' entry: each route answers in its source's shape.
 */
import type { Outcome } from '../http/outcome.js'
import type { ManagedIdentityRoute } from '../http/url-map.js'
import { answerAppService } from './app-service.js'
import { answerArc } from './arc.js'
import type { ArcKeys } from './arc-keys.js'
import { answerAzureMl } from './azure-ml.js'
import type { IdentityCall } from './call.js'
import { answerCloudShell } from './cloud-shell.js'
import { answerImds } from './imds.js'
import type { IssueDeps } from './issue.js'
import { answerServiceFabric } from './service-fabric.js'

/**
 * What the managed-identity endpoints work with.
 *
 * @example
 * ```ts
 * const deps: ManagedIdentityDeps = { store, keys, issuer, arcKeys, identityHeader }
 * ```
 */
export interface ManagedIdentityDeps extends IssueDeps {
  arcKeys: ArcKeys
  /**
   * The shared secret: App Service's `IDENTITY_HEADER` (sent as `X-IDENTITY-HEADER`), Azure ML's
   * `MSI_SECRET` and Service Fabric's `IDENTITY_HEADER` (sent as `secret`).
   */
  identityHeader: string
}

/**
 * Answers a request to a managed-identity endpoint.
 *
 * @example
 * ```ts
 * const outcome = await answerManagedIdentity('imds', call, deps)
 * ```
 */
export function answerManagedIdentity(
  route: ManagedIdentityRoute,
  call: IdentityCall,
  deps: ManagedIdentityDeps,
): Promise<Outcome> {
  if (route === 'appService') return answerAppService(call, deps, deps.identityHeader)
  if (route === 'arc') return answerArc(call, deps, deps.arcKeys)
  if (route === 'azureMl') return answerAzureMl(call, deps, deps.identityHeader)
  if (route === 'cloudShell') return answerCloudShell(call, deps)
  if (route === 'serviceFabric') return answerServiceFabric(call, deps, deps.identityHeader)
  return answerImds(call, deps)
}
