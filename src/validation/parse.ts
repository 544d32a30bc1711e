/**
 * The one way options are validated, by the client, `authorizedFetch`, the interceptor, the Azure adapter,
 * verify and the local authority's registry: a zod schema, and on failure one error naming the option
 * (the closest union member, did-you-mean for unknown keys): a `ConfigurationError`, or the caller's own.
 */
import type { z } from 'zod'
import { ConfigurationError } from '../errors.js'
import { type OptionGuide, type OptionProblem, optionProblem } from '../option-problems.js'

export type { OptionGuide, OptionProblem } from '../option-problems.js'

/**
 * How {@link parseWith} reports: what it knows of the options (a {@link OptionGuide}), where the input
 * sits, and which error to throw.
 *
 * @example
 * ```ts
 * const perCall: ParseGuide = { at: 'options', unknownKeysAt: 'object' }
 * ```
 */
export interface ParseGuide extends OptionGuide {
  /** Where the input sits, before every path (`options` for a per-call options argument). @defaultValue '' */
  readonly at?: string | undefined
  /** The error to throw for the problem. @defaultValue a {@link ConfigurationError} at the dotted path */
  readonly fail?: ((problem: OptionProblem) => Error) | undefined
}

/**
 * Validates `input` against `schema`; a failure throws one error naming the option (an unknown key
 * first, with what was probably meant) and, from `guide`, the fix: a {@link ConfigurationError}
 * unless `guide.fail` makes another. `what` names the whole input (`TokenClient options`).
 *
 * @example
 * ```ts
 * const options = parseWith(schema, input, 'authorizedFetch options')
 * ```
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  guide: ParseGuide = {},
): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problem = optionProblem(result.error.issues, { schema, input, what, guide })
  throw guide.fail === undefined ? configurationError(problem, guide.at) : guide.fail(problem)
}

function configurationError({ path, message, hint }: OptionProblem, at = ''): ConfigurationError {
  const dotted = [at, ...path.map(String)].filter((part) => part !== '').join('.')
  return new ConfigurationError(dotted, message, { hint })
}
