/**
 * The client the TokenClient tests build: the test tenant, client id and secret, and any options on top.
 */
import { TokenClient } from '../../src/client.js'
import { CLIENT_ID, SECRET, TENANT } from './token-endpoint.js'

/** The API whose token the tests ask for. */
export const API = 'api://myapis/mywebapi'

/** A client for the test tenant with a secret; `extra` adds or overrides options. */
export function newClient(extra: Partial<ConstructorParameters<typeof TokenClient>[0]> = {}): TokenClient {
  return new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: SECRET },
    ...extra,
  })
}
