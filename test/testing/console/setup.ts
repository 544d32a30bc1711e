/**
 * A console's sources without a listener: the example registry in a store, a request log, a fault
 * queue and a settable clock, for the console's unit tests.
 */

import { ConsoleState } from '../../../src/testing/console/state.js'
import { FaultQueue } from '../../../src/testing/faults/queue.js'
import { type LoggedRequest, RequestLog } from '../../../src/testing/http/request-log.js'
import { ApiDirectory } from '../../../src/testing/registry/apis.js'
import { ClientDirectory } from '../../../src/testing/registry/clients.js'
import { exampleRegistry } from '../../../src/testing/registry/example.js'
import { type Directories, loadRegistry } from '../../../src/testing/registry/load.js'
import { ManagedIdentityDirectory } from '../../../src/testing/registry/managed-identities.js'
import { RegistryStore } from '../../../src/testing/registry/store.js'
import { TenantDirectory } from '../../../src/testing/registry/tenants.js'

export const NOW = Date.parse('2026-03-01T12:00:00Z')

export interface Setup extends Directories {
  log: RequestLog
  faults: FaultQueue
  clock: { now: number }
  state: ConsoleState
}

/** The example registry and an empty log, followed by a console state. */
export function consoleSetup(): Setup {
  const store = new RegistryStore()
  const directories: Directories = {
    store,
    tenants: new TenantDirectory(store),
    apis: new ApiDirectory(store),
    clients: new ClientDirectory(store),
    managedIdentities: new ManagedIdentityDirectory(store),
  }
  loadRegistry(directories, exampleRegistry())
  const log = new RequestLog()
  const faults = new FaultQueue()
  const clock = { now: NOW }
  const state = new ConsoleState({ url: 'http://127.0.0.1:5312', store, log, faults, now: () => clock.now })
  return { ...directories, log, faults, clock, state }
}

/** A logged token request, as the request handler records it (overrides on top). */
export function tokenEntry(overrides: Partial<LoggedRequest> = {}): LoggedRequest {
  return {
    at: NOW,
    method: 'POST',
    path: '/f6aba1d9-da41-4ea3-8f30-4970725586a8/oauth2/v2.0/token',
    query: '',
    route: 'token',
    tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
    version: 'v2',
    traceId: '00000000-0000-4000-8000-000000000001',
    status: 200,
    ...overrides,
  }
}
