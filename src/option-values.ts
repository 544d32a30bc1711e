/**
 * Schemas for the string values that options share: names, paths and secrets that must be neither empty
 * nor padded with whitespace, and URLs checked by a problem function. Messages never repeat the value.
 */
import { zod } from './validation/zod.js'

/**
 * Why a value with whitespace around it is refused: a value read from a file or a here-doc often ends with
 * a newline, which the server would take as part of the value and answer with an opaque error.
 *
 * @example
 * ```ts
 * error.message.endsWith(WHITESPACE_PROBLEM)
 * ```
 */
export const WHITESPACE_PROBLEM = 'has whitespace around it: trim it (a file read often ends with a newline)'

/**
 * A string option that must not be empty (`emptyProblem` says what to give instead) nor have whitespace
 * around it.
 *
 * @example
 * ```ts
 * const clientId = textOption('is empty: give the application (client) id')
 * ```
 */
export function textOption(emptyProblem: string) {
  return zod()
    .string()
    .min(1, emptyProblem)
    .refine((value) => value.length === 0 || value.trim() === value, WHITESPACE_PROBLEM)
}

/**
 * A URL option, refused with what `problem` says (see `authority.ts`).
 *
 * @example
 * ```ts
 * const tokenEndpoint = urlOption(tokenEndpointProblem)
 * ```
 */
export function urlOption(problem: (value: string) => string | undefined) {
  return zod()
    .string()
    .check((ctx) => {
      const message = ctx.value.trim() === ctx.value ? problem(ctx.value) : WHITESPACE_PROBLEM
      if (message !== undefined) ctx.issues.push({ code: 'custom', input: undefined, message })
    })
}
