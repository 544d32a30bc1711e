/**
 * Folder `managed-identity/`: the managed-identity endpoints of the local authority
 * (docs/managed-identity.md §Emulation). `routes.ts` answers a request in the shape of its source
 * (`imds.ts`, `app-service.ts`, `arc.ts`, Arc's key files in `arc-keys.ts`, `azure-ml.ts`,
 * `cloud-shell.ts`, `service-fabric.ts`; the checks they share in `checks.ts`); `select.ts` finds the
 * identity a request names, `issue.ts` mints its token, `environment.ts` says which variables point
 * a process at the emulated endpoints. Written from the services' documentation, sharing no code with
 * the client's `src/managed-identity/` (docs/architecture.md).
 *
 * A refusal of a managed-identity endpoint: status and message; each source words it in its own body.
 */

/**
 * A refused managed-identity request.
 *
 * @example
 * ```ts
 * throw new IdentityRefusal(400, 'invalid_request', 'Identity not found')
 * ```
 */
export class IdentityRefusal extends Error {
  override readonly name = 'IdentityRefusal'
  readonly status: number
  /** IMDS's `error` code (`invalid_request`, `invalid_resource`, …). */
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}
