/**
 * Turns a zod failure into one problem that leads to the fix (a {@link ConfigurationError}, by
 * `parseWith`): an unknown key is named
 * first (it usually explains the rest), with what was meant — a known mistake from the guide's aliases,
 * else the closest option name — and the options valid there; any other problem gets the guide's hint
 * for that option. No value is ever repeated, and a key that does not look like a name is not shown.
 */
import type { z } from 'zod'
import { closestName } from './did-you-mean.js'
import { type AliasTable, type KeyAdvice, normalizeKey } from './option-aliases.js'
import { keysAt } from './schema-keys.js'

/**
 * An issue as a zod check pushes it.
 *
 * @example
 * ```ts
 * const issue: OptionIssue = { code: 'custom', input: undefined, path: ['tenant'], message: 'is empty' }
 * ```
 */
export type OptionIssue = z.core.$ZodRawIssue

/**
 * What one entry point knows about its options, to make its errors lead to the fix.
 *
 * @example
 * ```ts
 * const guide: OptionGuide = { hints: { tenant: 'Use the Directory (tenant) ID.' }, example: 'new TokenClient({ … })' }
 * ```
 */
export interface OptionGuide {
  /** Known wrong keys, per object path (`''` is the top), and what to say about each. */
  readonly aliases?: AliasTable | undefined
  /** The hint for a problem at an option path (a parent's hint serves its children). */
  readonly hints?: Readonly<Record<string, string>> | undefined
  /** How a valid call looks, for a value that is not an object at all. */
  readonly example?: string | undefined
  /**
   * Where a single unknown key's problem is: at the `key` itself (`credential.secret`), or at the
   * `object` holding it (verify's paths, which name the object). @defaultValue 'key'
   */
  readonly unknownKeysAt?: 'key' | 'object' | undefined
}

/**
 * One problem with the options: where (a path into the input), what, and the fix when known.
 *
 * @example
 * ```ts
 * const problem: OptionProblem = { path: ['credential', 'secret'], message: 'unknown option', hint: undefined }
 * ```
 */
export interface OptionProblem {
  readonly path: readonly PropertyKey[]
  readonly message: string
  readonly hint: string | undefined
}

/**
 * An issue saying `keys` are not options at `path`, where `known` are: how a schema that selects its own
 * sub-schema (the credential kinds) reports unknown keys with the right candidates.
 *
 * @example
 * ```ts
 * ctx.issues.push(unknownKeysIssue(['secret'], ['clientSecret'], []))
 * ```
 */
export function unknownKeysIssue(
  keys: readonly string[],
  known: readonly string[],
  path: readonly PropertyKey[],
): OptionIssue {
  const params = { unknownKeys: [...keys], knownKeys: [...known] }
  return { code: 'custom', input: undefined, path: [...path], message: 'has unknown options', params }
}

interface Context {
  schema: z.ZodType
  input: unknown
  what: string
  guide: OptionGuide
}

interface Unknown {
  path: PropertyKey[]
  keys: string[]
  known: string[]
}

/**
 * The problem to report for a failed parse of `context.input`.
 *
 * @example
 * ```ts
 * const { path, message } = optionProblem(result.error.issues, { schema, input, what: 'TokenClient options', guide: {} })
 * ```
 */
export function optionProblem(issues: readonly z.core.$ZodIssue[], context: Context): OptionProblem {
  const flat = flatten(issues, [])
  const unknown = flat
    .map((issue) => unknownOf(issue, context.schema))
    .filter((u): u is Unknown => u !== undefined)
    .sort((a, b) => a.path.length - b.path.length)[0]
  if (unknown !== undefined) return unknownKeysProblem(unknown, context)
  const issue = flat[0] ?? { path: [], message: 'is not valid', code: 'custom' as const }
  const hint = hintFor(issue.path.map(String).join('.'), context.guide)
  return { path: issue.path, message: messageOf(issue, context.what), hint }
}

/** The issues, a union replaced by its branch closest to matching (fewest issues). */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path]
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path }]
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? []
    return flatten(closest, path)
  })
}

function unknownOf(issue: z.core.$ZodIssue, schema: z.ZodType): Unknown | undefined {
  if (issue.code === 'unrecognized_keys') {
    return { path: issue.path, keys: issue.keys, known: keysAt(schema, issue.path) ?? [] }
  }
  const params = issue.code === 'custom' ? issue.params : undefined
  if (!Array.isArray(params?.unknownKeys)) return undefined
  return { path: issue.path, keys: params.unknownKeys, known: params.knownKeys ?? [] }
}

function messageOf(issue: z.core.$ZodIssue, what: string): string {
  if (issue.code === 'invalid_type' && issue.path.length === 0) return `the ${what} must be an object`
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `is required (expected ${issue.expected})`
  }
  return issue.message
}

function hintFor(path: string, guide: OptionGuide): string | undefined {
  if (path === '') return guide.example === undefined ? undefined : `Pass an object, e.g. ${guide.example}`
  for (let at = path; at !== ''; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
    const hint = guide.hints?.[at]
    if (hint !== undefined) return hint
  }
  return undefined
}

const NAME = /^[A-Za-z_$][\w$-]{0,63}$/

interface Advice {
  /** The key, when it looks like a name (else it is not shown). */
  key: string | undefined
  /** What the message says about it. */
  say: string | undefined
  /** A rename, for the hint (a sentence of advice is in the message already). */
  fix: string | undefined
}

function unknownKeysProblem(unknown: Unknown, context: Context): OptionProblem {
  const advice = unknown.keys.map((key) => adviceFor(key, unknown, context))
  const known = unknown.known.length > 0 ? `Options here: ${unknown.known.join(', ')}.` : undefined
  const hint = [...advice.map((a) => a.fix), known].filter((s) => s !== undefined).join(' ') || undefined
  const [only] = advice
  if (advice.length === 1 && only?.key !== undefined && context.guide.unknownKeysAt !== 'object') {
    const path = [...unknown.path, only.key]
    return { path, message: `unknown option${only.say ? `: ${only.say}` : ''}`, hint }
  }
  const listed = advice.map((a) =>
    a.key === undefined
      ? 'a key that is not an option name (not shown)'
      : a.say
        ? `${a.key} (${a.say})`
        : a.key,
  )
  const message = `unknown option${listed.length > 1 ? 's' : ''}: ${listed.join(', ')}`
  return { path: unknown.path, message, hint }
}

function adviceFor(key: string, unknown: Unknown, context: Context): Advice {
  if (!NAME.test(key)) return { key: undefined, say: undefined, fix: undefined }
  const table = context.guide.aliases?.[unknown.path.map(String).join('.')]
  const entry: KeyAdvice | undefined = table?.[normalizeKey(key)]
  const value = valueAt(context.input, [...unknown.path, key])
  const said = typeof entry === 'function' ? entry({ value, known: unknown.known }) : entry
  if (typeof said === 'string') return { key, say: said, fix: undefined }
  const meant =
    said !== undefined && unknown.known.includes(said.to) ? said.to : closestName(key, unknown.known)
  if (meant === undefined) return { key, say: undefined, fix: undefined }
  return { key, say: `did you mean ${meant}?`, fix: `Rename ${key} to ${meant}.` }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return at
}
