/**
 * The one way options are validated, by the client, `authorizedFetch`, the interceptor, the Azure adapter
 * and verify (and, once pointed here, the local authority's registry): a zod schema, and on failure one
 * `ConfigurationError` naming the option (the closest union member, did-you-mean for unknown keys).
 */
import type { z } from 'zod'
import { type OptionGuide, optionsError } from '../option-problems.js'

export type { OptionGuide } from '../option-problems.js'

/**
 * Validates `input` against `schema`; a failure throws one {@link ConfigurationError} naming the option
 * (an unknown key first, with what was probably meant) and, from `guide`, the fix. `what` names the
 * whole input (`TokenClient options`).
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
  guide: OptionGuide = {},
): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw optionsError(result.error.issues, { schema, input, what, guide })
}
