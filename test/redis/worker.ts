/**
 * One process of a fleet, for the fleet tests: a token cache with a Redis store, driven over IPC.
 * Run by plain Node with `--import ./helpers/register.mjs` (type stripping; `.js` imports → `.ts`).
 */
import { createClient } from 'redis'
import { createRedisStore } from '../../src/redis/index.js'
import { createFleetCache, targetFor } from './helpers/fleet-cache.js'
import type { FromWorker, ToWorker } from './helpers/protocol.js'

let offsetMs = 0
const clock = { now: () => Date.now() + offsetMs }
let cache: ReturnType<typeof createFleetCache> | undefined

function send(message: FromWorker): void {
  process.send?.(message)
}

const logger = {
  warn: (message: string) => send({ type: 'log', level: 'warn', message }),
  info: (message: string) => send({ type: 'log', level: 'info', message }),
}

async function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  const redis = createClient({ url: message.redisUrl })
  await redis.connect()
  const store = createRedisStore(redis, { ...message.store, logger })
  cache = createFleetCache({ authorityUrl: message.authorityUrl, store, clock, logger })
  send({ type: 'ready' })
}

async function lookups(message: Extract<ToWorker, { type: 'lookups' }>): Promise<void> {
  const started = performance.now()
  const target = targetFor(message.scope)
  const results = await Promise.allSettled(
    Array.from({ length: message.count }, () =>
      cache ? cache.lookup(target) : Promise.reject(new Error('no init')),
    ),
  )
  const tokens = new Set<string>()
  const errors: string[] = []
  for (const result of results) {
    if (result.status === 'fulfilled') tokens.add(result.value.accessToken)
    else errors.push(String(result.reason))
  }
  send({
    type: 'result',
    id: message.id,
    tokens: [...tokens],
    errors,
    durationMs: performance.now() - started,
  })
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'init') void init(message)
  else if (message.type === 'lookups') void lookups(message)
  else {
    offsetMs += message.ms
    send({ type: 'result', id: message.id, tokens: [], errors: [], durationMs: 0 })
  }
})
process.on('disconnect', () => process.exit(0))
