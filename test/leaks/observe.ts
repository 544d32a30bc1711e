/**
 * Where a client talks besides its return values: a logger that records every level (each call's
 * arguments deeply inspected) and the `oauth-client-credentials:token` diagnostics channel.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { inspect } from 'node:util'
import { TOKEN_CHANNEL } from '../../src/diagnostics.js'
import type { Logger } from '../../src/options.js'
import { DEEP } from './exposure.js'

export interface Observer {
  readonly logger: Logger
  /** Each logger call, as `level inspect(args)`. */
  readonly logs: string[]
  /** Each diagnostics message, inspected and serialised. */
  readonly diagnostics: string[]
  stop(): void
}

export function observe(): Observer {
  const logs: string[] = []
  const diagnostics: string[] = []
  const level =
    (name: string) =>
    (...args: unknown[]) => {
      logs.push(`${name} ${inspect(args, DEEP)} ${inspect(args, { ...DEEP, customInspect: false })}`)
    }
  const logger: Logger = {
    debug: level('debug'),
    info: level('info'),
    warn: level('warn'),
    error: level('error'),
  }
  const listener = (message: unknown) =>
    diagnostics.push(`${inspect(message, DEEP)} ${JSON.stringify(message)}`)
  subscribe(TOKEN_CHANNEL, listener)
  return { logger, logs, diagnostics, stop: () => unsubscribe(TOKEN_CHANNEL, listener) }
}
