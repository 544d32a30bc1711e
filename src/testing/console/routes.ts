/**
 * The console's HTTP side, on the local authority's own listener (127.0.0.1 only): `/` (the page),
 * `/_console/state`, `/_console/events` and `/_console/faults`. Requests naming another host are
 * refused (a DNS-rebinding page cannot read the console), and faults change only from the page's
 * own origin, as JSON (a cross-site form cannot post one).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FaultQueue } from '../faults/queue.js'
import { readBody } from '../http/read-body.js'
import type { EventHub } from './events.js'
import { consoleFault } from './fault-input.js'
import { PAGE_CSP, PAGE_HTML } from './page.js'
import type { ConsoleState } from './state.js'

/** Bodies of `/_console/faults` above this are refused. */
const MAX_FAULT_BYTES = 4096

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
}

/**
 * What the routes work with.
 *
 * @example
 * ```ts
 * answerConsole(req, res, { state, hub, faults, scheme: 'http', hosts: ['127.0.0.1:5312'] })
 * ```
 */
export interface ConsoleRouteDeps {
  state: ConsoleState
  hub: EventHub
  faults: FaultQueue
  scheme: 'http' | 'https'
  /** The authority's own `host:port` names. */
  hosts: readonly string[]
}

/**
 * Whether a path is the console's: `/` or under `/_console/`.
 *
 * @example
 * ```ts
 * isConsolePath('/_console/state') // true
 * isConsolePath('/contoso.onmicrosoft.com/oauth2/v2.0/token') // false
 * ```
 */
export function isConsolePath(pathname: string): boolean {
  return pathname === '/' || pathname === '/_console' || pathname.startsWith('/_console/')
}

/**
 * Answers one console request.
 *
 * @example
 * ```ts
 * if (isConsolePath(pathname)) return answerConsole(req, res, deps)
 * ```
 */
export async function answerConsole(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ConsoleRouteDeps,
): Promise<void> {
  const host = req.headers.host?.toLowerCase() ?? ''
  if (!deps.hosts.includes(host)) return send(res, 421, { error: `not a name of this authority: ${host}` })
  const pathname = new URL(req.url ?? '/', `${deps.scheme}://${host}`).pathname
  const method = req.method ?? 'GET'
  const reading = method === 'GET' || method === 'HEAD'
  if (pathname === '/' && reading) return sendPage(res, method)
  if (pathname === '/_console/state' && reading) return send(res, 200, deps.state.snapshot(), deps.state)
  if (pathname === '/_console/events' && method === 'GET') return deps.hub.attach(req, res, COMMON_HEADERS)
  if (pathname === '/_console/faults' && (method === 'POST' || method === 'DELETE')) {
    const refusal = crossOrigin(req, `${deps.scheme}://${host}`)
    if (refusal) return send(res, 403, { error: refusal })
    return method === 'POST' ? addFault(req, res, deps) : clearFaults(res, deps)
  }
  const known = ['/', '/_console/state', '/_console/events', '/_console/faults'].includes(pathname)
  return send(res, known ? 405 : 404, { error: known ? `${method} not allowed` : 'no such console route' })
}

function sendPage(res: ServerResponse, method: string): void {
  const body = Buffer.from(PAGE_HTML, 'utf8')
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PAGE_CSP,
    'content-length': String(body.length),
  })
  res.end(method === 'HEAD' ? undefined : body)
}

function send(res: ServerResponse, status: number, value: unknown, state?: ConsoleState): void {
  const body = Buffer.from(state ? state.json(value) : JSON.stringify(value), 'utf8')
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
  })
  res.end(body)
}

/** Why a state-changing request is refused: another origin, or not JSON. */
function crossOrigin(req: IncomingMessage, origin: string): string | undefined {
  const sentOrigin = req.headers.origin
  if (sentOrigin !== undefined && sentOrigin.toLowerCase() !== origin) return `origin ${sentOrigin} refused`
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} request is refused`
  if (req.method === 'POST' && req.headers['content-type']?.split(';')[0]?.trim() !== 'application/json')
    return 'send the fault as application/json'
  return undefined
}

async function addFault(req: IncomingMessage, res: ServerResponse, deps: ConsoleRouteDeps): Promise<void> {
  const body = await readBody(req, MAX_FAULT_BYTES)
  if (body === undefined) return send(res, 413, { error: 'fault body too large' })
  let input: unknown
  try {
    input = JSON.parse(body.toString('utf8'))
  } catch {
    return send(res, 400, { error: 'fault: not JSON' })
  }
  const read = consoleFault(input)
  if ('error' in read) return send(res, 400, { error: read.error })
  deps.faults.add(read.fault)
  deps.state.checkForChanges()
  send(res, 201, { faults: deps.state.faults() })
}

function clearFaults(res: ServerResponse, deps: ConsoleRouteDeps): void {
  deps.faults.clear()
  deps.state.checkForChanges()
  send(res, 200, { faults: [] })
}
