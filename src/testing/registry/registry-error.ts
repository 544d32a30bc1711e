/**
 * The error thrown when a registry document or a run-time registry change is invalid.
 */
import type { z } from 'zod'
import { parseWith } from '../../validation/parse.js'

/**
 * An invalid registry entry: `issues` name each problem with its path
 * (`registry.clients[0].secrets[1].value: …`).
 *
 * @example
 * ```ts
 * try { authority.clients.add({ appId: 'nope' }) } catch (error) {
 *   if (error instanceof RegistryError) console.error(error.issues.join('\n'))
 * }
 * ```
 */
export class RegistryError extends Error {
  readonly code = 'ERR_REGISTRY_INVALID'
  readonly issues: readonly string[]

  constructor(issues: readonly string[]) {
    super(`Invalid local authority input:\n  ${issues.join('\n  ')}`)
    this.name = 'RegistryError'
    this.issues = issues
  }
}

/**
 * Parses `input` with `schema` through the package's one `parseWith` (src/validation/parse.ts: the
 * closest union member, did-you-mean for unknown keys), its problem becoming a {@link RegistryError}
 * whose issue is prefixed with `path`.
 *
 * @example
 * ```ts
 * const tenant = parseEntry(tenantSchema, input, 'registry.tenants[0]')
 * ```
 */
export function parseEntry<T extends z.ZodType>(schema: T, input: unknown, path: string): z.output<T> {
  return parseWith(schema, input, path, {
    fail: (problem) => {
      const where = `${path}${problem.path.map(formatSegment).join('')}`
      const hint = problem.hint === undefined ? '' : ` ${problem.hint}`
      return new RegistryError([`${where}: ${problem.message}${hint}`])
    },
  })
}

function formatSegment(segment: PropertyKey): string {
  return typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`
}

/**
 * Throws a {@link RegistryError} with a single issue.
 *
 * @example
 * ```ts
 * refuse('registry.grants[0].api', "unknown API 'api://nope'")
 * ```
 */
export function refuse(path: string, message: string): never {
  throw new RegistryError([`${path}: ${message}`])
}
