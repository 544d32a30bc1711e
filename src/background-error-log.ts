/**
 * How a client reports a failed background refresh through its logger: one warning, never the secret or
 * token (the error's message and code only), saying the cached token stays in service and when the next
 * attempt is due.
 */
import type { Logger } from './options.js'

/**
 * Logs a failed background refresh of `label` (a token's target) at `warn`.
 *
 * @example
 * ```ts
 * logBackgroundError(console, 'contoso api://orders/.default', error, { failures: 1, retryAt: Date.now() + 5000 })
 * ```
 */
export function logBackgroundError(
  logger: Logger | undefined,
  label: string,
  error: unknown,
  info: { failures: number; retryAt: number },
): void {
  logger?.warn?.('Background token refresh failed; the cached token stays in service.', {
    target: label,
    code: (error as { code?: unknown }).code,
    error: error instanceof Error ? error.message : String(error),
    failures: info.failures,
    nextAttemptAt: new Date(info.retryAt).toISOString(),
  })
}
