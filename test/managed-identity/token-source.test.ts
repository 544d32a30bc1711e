import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { ManagedIdentityUnavailableError } from '../../src/managed-identity/errors.js'
import {
  createManagedIdentityTokenSource,
  UNAVAILABLE_FIRST_BACKOFF_MS,
  UNAVAILABLE_MAX_BACKOFF_MS,
} from '../../src/managed-identity/token-source.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { closedPort, fakeTime, tokenBody } from './server.js'

useLoopbackGuard()

let late: Server | undefined
afterEach(async () => {
  late?.closeAllConnections()
  await new Promise<void>((resolve) => (late ? late.close(() => resolve()) : resolve()))
  late = undefined
})

/** IMDS comes up on `port` after the process started: counts probes and token requests. */
async function imdsComesUp(port: number, nowMs: () => number) {
  const seen = { probes: 0, tokens: 0 }
  late = createServer((request, response) => {
    if (request.headers.metadata === undefined) {
      seen.probes++
      response.writeHead(400).end('{"error":"invalid_request"}')
      return
    }
    seen.tokens++
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokenBody(nowMs())))
  }).listen(port, '127.0.0.1')
  await once(late, 'listening')
  return seen
}

const sourceOn = (port: number, time: ReturnType<typeof fakeTime>) =>
  createManagedIdentityTokenSource({
    environment: { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}` },
    clock: time.clock,
    himdsInstalled: () => false,
  })

describe('createManagedIdentityTokenSource', () => {
  it('detects the source once, at creation', () => {
    const tokens = createManagedIdentityTokenSource({
      environment: {},
      imdsBaseUrl: 'http://127.0.0.1:9',
      himdsInstalled: () => false,
    })
    expect(tokens.source.kind).toBe('imds')
    expect(() => createManagedIdentityTokenSource({ environment: { MSI_ENDPOINT: 'nope' } })).toThrow(
      expect.objectContaining({ path: 'MSI_ENDPOINT' }),
    )
  })

  it('recovers when IMDS comes up after the process: says no at once during the backoff, then tries again', async () => {
    const time = fakeTime()
    const port = await closedPort()
    const tokens = sourceOn(port, time)
    const first = await tokens.getToken('https://vault.azure.net').catch((e: unknown) => e)
    expect(first).toBeInstanceOf(ManagedIdentityUnavailableError)

    const seen = await imdsComesUp(port, () => time.now)
    time.advance(UNAVAILABLE_FIRST_BACKOFF_MS - 1)
    const during = (await tokens
      .getToken('https://vault.azure.net')
      .catch((e: unknown) => e)) as ManagedIdentityUnavailableError
    expect(during).toBeInstanceOf(ManagedIdentityUnavailableError)
    expect(during.retryAfterMs).toBe(1)
    expect(during.cause).toBe(first)
    expect(seen).toEqual({ probes: 0, tokens: 0 })

    time.advance(1)
    const token = await tokens.getToken('https://vault.azure.net')
    expect(token.source).toBe('imds')
    expect(seen).toEqual({ probes: 1, tokens: 1 })
  })

  it('probes IMDS only until it first answered', async () => {
    const time = fakeTime()
    const port = await closedPort()
    const seen = await imdsComesUp(port, () => time.now)
    const tokens = sourceOn(port, time)
    await tokens.getToken('https://vault.azure.net')
    await tokens.getToken('https://storage.azure.com/')
    await tokens.getToken('https://vault.azure.net', { signal: new AbortController().signal })
    expect(seen).toEqual({ probes: 1, tokens: 3 })
  })

  it('doubles the backoff after each unavailable call, up to its cap, and resets after a success', async () => {
    const time = fakeTime()
    const port = await closedPort()
    const tokens = sourceOn(port, time)
    const cooldowns: number[] = []
    for (let i = 0; i < 7; i++) {
      await tokens.getToken('https://vault.azure.net').catch(() => undefined)
      const cached = (await tokens
        .getToken('https://vault.azure.net')
        .catch((e: unknown) => e)) as ManagedIdentityUnavailableError
      cooldowns.push(cached.retryAfterMs ?? 0)
      time.advance(cached.retryAfterMs ?? 0)
    }
    expect(cooldowns).toEqual([
      1000,
      2000,
      4000,
      8000,
      16_000,
      UNAVAILABLE_MAX_BACKOFF_MS,
      UNAVAILABLE_MAX_BACKOFF_MS,
    ])

    const seen = await imdsComesUp(port, () => time.now)
    await tokens.getToken('https://vault.azure.net')
    expect(seen.tokens).toBe(1)
    late?.closeAllConnections()
    await new Promise<void>((resolve) => late?.close(() => resolve()))
    late = undefined
    await tokens.getToken('https://vault.azure.net').catch(() => undefined)
    const after = (await tokens
      .getToken('https://vault.azure.net')
      .catch((e: unknown) => e)) as ManagedIdentityUnavailableError
    expect(after.retryAfterMs).toBe(UNAVAILABLE_FIRST_BACKOFF_MS)
  })

  it('probes again after IMDS went away, so a silent endpoint is also said no to quickly', async () => {
    const time = fakeTime()
    const port = await closedPort()
    let seen = await imdsComesUp(port, () => time.now)
    const tokens = sourceOn(port, time)
    await tokens.getToken('https://vault.azure.net')
    expect(seen).toEqual({ probes: 1, tokens: 1 })
    late?.closeAllConnections()
    await new Promise<void>((resolve) => late?.close(() => resolve()))
    await expect(tokens.getToken('https://vault.azure.net')).rejects.toBeInstanceOf(
      ManagedIdentityUnavailableError,
    )
    seen = await imdsComesUp(port, () => time.now)
    time.advance(UNAVAILABLE_FIRST_BACKOFF_MS)
    await tokens.getToken('https://vault.azure.net')
    expect(seen).toEqual({ probes: 1, tokens: 1 })
  })
})
