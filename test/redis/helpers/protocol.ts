/** The messages between a fleet test and its worker processes (over the fork IPC channel). */
import type { RedisStoreOptions } from '../../../src/redis/index.js'

export type ToWorker =
  | { type: 'init'; redisUrl: string; authorityUrl: string; store: Omit<RedisStoreOptions, 'logger'> }
  | { type: 'lookups'; id: number; scope: string; count: number }
  | { type: 'advance'; id: number; ms: number }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; tokens: string[]; errors: string[]; durationMs: number }
  | { type: 'log'; level: string; message: string }
