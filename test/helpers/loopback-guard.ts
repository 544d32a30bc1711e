/**
 * A network guard for tests that open real sockets: every TCP connection (plain or TLS, from undici,
 * node:http or anything else) must go to a loopback address (127.0.0.0/8, ::1 or `localhost`). Any other
 * connection is refused before a packet leaves the machine, recorded, and fails the test file.
 *
 * It wraps `net.Socket.prototype.connect`, which `net.connect`, `tls.connect` and undici's connector all
 * end in, and also checks each address a host name resolves to (`connectionAttempt`).
 */
import { isIP, Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'

type Connect = (this: Socket, ...args: unknown[]) => Socket

/** Whether `host` names this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || bare.toLowerCase().startsWith('::ffff:127.')
  return false
}

/** The host a `connect(...)` call names, or `undefined` for an IPC path. */
function hostOf(args: readonly unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof args[1] === 'string' ? args[1] : 'localhost'
  }
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; path?: unknown }
    if (typeof options.path === 'string') return undefined
    return typeof options.host === 'string' ? options.host : 'localhost'
  }
  return undefined
}

/** The installed guard: what it refused so far. */
export interface LoopbackGuard {
  /** Every refused destination, `host` or `host (resolved)`. */
  readonly refused: string[]
  /** Puts `net.Socket.prototype.connect` back. */
  uninstall(): void
}

/** Installs the guard for the whole process until `uninstall()`. */
export function installLoopbackGuard(): LoopbackGuard {
  const original = Socket.prototype.connect as unknown as Connect
  const refused: string[] = []
  const refuse = (socket: Socket, what: string) => {
    refused.push(what)
    const error = Object.assign(new Error(`loopback guard: connection to ${what} refused in tests`), {
      code: 'ERR_LOOPBACK_GUARD',
    })
    process.nextTick(() => socket.destroy(error))
  }
  const guarded: Connect = function (this: Socket, ...args: unknown[]) {
    const host = hostOf(args)
    if (host !== undefined && !isLoopbackHost(host)) {
      refuse(this, host)
      return this
    }
    this.on('connectionAttempt', (ip: string) => {
      if (!isLoopbackHost(ip)) refuse(this, `${host} (${ip})`)
    })
    return original.apply(this, args)
  }
  Socket.prototype.connect = guarded as unknown as Socket['connect']
  return {
    refused,
    uninstall: () => {
      Socket.prototype.connect = original as unknown as Socket['connect']
    },
  }
}

/**
 * Guards the current test file: installed before its tests, and each test fails if it tried to reach
 * an address that is not loopback.
 */
export function useLoopbackGuard(): LoopbackGuard {
  let guard: LoopbackGuard | undefined
  const view: LoopbackGuard = {
    get refused() {
      return guard?.refused ?? []
    },
    uninstall: () => guard?.uninstall(),
  }
  beforeAll(() => {
    guard = installLoopbackGuard()
  })
  afterEach(() => {
    const refused = guard?.refused.splice(0) ?? []
    expect(refused, 'connections to non-loopback addresses').toEqual([])
  })
  afterAll(() => guard?.uninstall())
  return view
}
