/**
 * App-role requirements: all-of and any-of checks against a token's `roles` claim, and the
 * description of what is missing (it names the role, for the 403 challenge).
 */

import type { Rejection } from './challenge.js'
import type { RoleRequirement } from './options.js'

/** A role requirement in one shape: every role of `all`, and at least one of `any` (when not empty). */
export interface RoleRule {
  readonly all: readonly string[]
  readonly any: readonly string[]
}

/**
 * Brings the accepted spellings to one shape; a plain array means all-of.
 *
 * @example
 * ```ts
 * toRoleRule(['Admin'])                   // { all: ['Admin'], any: [] }
 * toRoleRule({ any: ['Admin', 'Reader'] }) // { all: [], any: ['Admin', 'Reader'] }
 * ```
 */
export function toRoleRule(requirement: RoleRequirement | undefined): RoleRule | undefined {
  if (requirement === undefined) return undefined
  if (Array.isArray(requirement)) return { all: [...requirement], any: [] }
  return { all: [...(requirement.all ?? [])], any: [...(requirement.any ?? [])] }
}

/**
 * Says what a token's roles lack for a rule, or `undefined` when the rule is met.
 *
 * @example
 * ```ts
 * describeMissingRoles(['Reader'], { all: ['Admin'], any: [] }) // 'this resource requires role Admin'
 * describeMissingRoles(['Reader'], { all: [], any: ['Admin', 'Writer'] })
 * // 'this resource requires one of the roles Admin, Writer'
 * ```
 */
export function describeMissingRoles(granted: readonly string[], rule: RoleRule): string | undefined {
  const missing = rule.all.filter((role) => !granted.includes(role))
  if (missing.length === 1) return `this resource requires role ${missing[0]}`
  if (missing.length > 1) return `this resource requires roles ${missing.join(', ')}`
  if (rule.any.length > 0 && !rule.any.some((role) => granted.includes(role))) {
    return rule.any.length === 1
      ? `this resource requires role ${rule.any[0]}`
      : `this resource requires one of the roles ${rule.any.join(', ')}`
  }
  return undefined
}

/**
 * Checks every rule in turn (the verifier's, then the route's); the first unmet one is a `roles`
 * rejection (HTTP 403, `insufficient_scope`).
 *
 * @example
 * ```ts
 * checkRoles(['Reader'], [toRoleRule(['Admin'])]) // { reason: 'roles', description: 'this resource requires role Admin' }
 * ```
 */
export function checkRoles(
  granted: readonly string[],
  rules: readonly (RoleRule | undefined)[],
): Rejection | undefined {
  for (const rule of rules) {
    const description = rule === undefined ? undefined : describeMissingRoles(granted, rule)
    if (description !== undefined) return { reason: 'roles', description }
  }
  return undefined
}
