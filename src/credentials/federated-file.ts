/**
 * The workload-identity credential: a federated token (Kubernetes service account token, …) read from
 * a file for every token request, because kubelet rewrites it before it expires (docs/entra.md §4).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CredentialError } from '../errors.js'
import { REDACTED, redactInstances } from '../redact.js'
import { setClientAssertion } from './assertion-jwt.js'
import type { Credential, CredentialContext, CredentialRequest } from './credential.js'

/**
 * A federated token file (`AZURE_FEDERATED_TOKEN_FILE`), sent as the client assertion.
 *
 * @example
 * ```ts
 * const credential = new FederatedTokenFileCredential('/var/run/secrets/azure/tokens/azure-identity-token')
 * ```
 */
export class FederatedTokenFileCredential implements Credential {
  readonly kind = 'federated-file' as const
  /** The file as given. */
  readonly path: string
  readonly #absolutePath: string

  constructor(path: string) {
    if (path.trim() === '')
      throw new CredentialError('federatedTokenFile is empty: give the path of the token file.')
    this.path = path
    this.#absolutePath = resolve(path)
  }

  async authenticate(request: CredentialRequest, ctx: CredentialContext): Promise<void> {
    setClientAssertion(request.form, await this.#read(ctx.signal))
  }

  async #read(signal: AbortSignal): Promise<string> {
    let text: string
    try {
      text = await readFile(this.#absolutePath, { encoding: 'utf8', signal })
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? 'error')
      throw new CredentialError(`cannot read the federated token file ${this.path} (${code}).`, {
        hint: 'Check federatedTokenFile (AZURE_FEDERATED_TOKEN_FILE) and that the service account token is projected into the pod.',
        cause: error,
      })
    }
    const token = text.trim()
    if (token === '') {
      throw new CredentialError(`the federated token file ${this.path} is empty.`, {
        hint: 'The token is written by kubelet (or your CI): check the projected volume.',
      })
    }
    return token
  }
}
redactInstances(FederatedTokenFileCredential, (c) => ({ kind: c.kind, path: c.path, assertion: REDACTED }))
