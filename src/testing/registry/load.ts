/**
 * A registry document (in code or a JSON file) loaded into the directories, entry by entry, so
 * that every problem is reported with its path (`registry.clients[1].tenant: unknown tenant …`).
 */
import { readFile } from 'node:fs/promises'
import type { ApiDirectory } from './apis.js'
import type { ClientDirectory } from './clients.js'
import { assignRoles } from './grants.js'
import type { ManagedIdentityDirectory } from './managed-identities.js'
import { parseEntry, refuse } from './registry-error.js'
import {
  type ApiInput,
  type ClientInput,
  type GrantInput,
  type ManagedIdentityInput,
  registryDocumentSchema,
  type TenantInput,
} from './schema.js'
import type { RegistryStore } from './store.js'
import type { TenantDirectory } from './tenants.js'

/**
 * The directories a registry is loaded into.
 *
 * @example
 * ```ts
 * loadRegistry({ store, tenants, apis, clients, managedIdentities }, exampleRegistry())
 * ```
 */
export interface Directories {
  store: RegistryStore
  tenants: TenantDirectory
  apis: ApiDirectory
  clients: ClientDirectory
  managedIdentities: ManagedIdentityDirectory
}

/**
 * Validates and loads a registry document; throws a `RegistryError` listing the problem's path.
 *
 * @example
 * ```ts
 * loadRegistry(directories, exampleRegistry())
 * ```
 */
export function loadRegistry(directories: Directories, input: unknown): void {
  const document = parseEntry(registryDocumentSchema, input, 'registry')
  document.tenants.forEach((entry, i) => {
    directories.tenants.add(entry as TenantInput, `registry.tenants[${i}]`)
  })
  document.apis.forEach((entry, i) => {
    directories.apis.add(entry as ApiInput, `registry.apis[${i}]`)
  })
  document.managedIdentities.forEach((entry, i) => {
    directories.managedIdentities.add(entry as ManagedIdentityInput, `registry.managedIdentities[${i}]`)
  })
  document.clients.forEach((entry, i) => {
    directories.clients.add(entry as ClientInput, `registry.clients[${i}]`)
  })
  document.grants.forEach((entry, i) => {
    assignRoles(directories.store, entry as GrantInput, `registry.grants[${i}]`)
  })
}

/**
 * Reads a registry document from a JSON file.
 *
 * @example
 * ```ts
 * const registry = await readRegistryFile('test/fixtures/testing/registry.json')
 * ```
 */
export async function readRegistryFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    return refuse('registryFile', `cannot read '${path}' (${(error as Error).message})`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    return refuse('registryFile', `'${path}' is not JSON (${(error as Error).message})`)
  }
}
