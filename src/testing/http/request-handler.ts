/**
 * Folder `http/`: the server side. `listener.ts` listens on loopback; this file takes one request
 * end to end (context, body, route, fault, answer, log) with `request-context.ts`, `read-body.ts`,
 * `url-map.ts` (the routes and their paths), `outcome.ts` (what a route answers), `reply.ts` (how it
 * is written) and `request-log.ts` (what was seen, redacted).
 *
 * One request, end to end: context, body, route, fault, answer, log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { answerDiscovery, answerJwks, answerMetadata, type DiscoveryDeps } from '../discovery/routes.js'
import { runWithFault } from '../faults/effects.js'
import type { FaultQueue } from '../faults/queue.js'
import type { TokenEndpointDeps } from '../token/decision.js'
import { claimedClientId, parseTokenForm, type TokenForm } from '../token/form.js'
import { answerToken } from '../token/route.js'
import type { Outcome } from './outcome.js'
import { readBody } from './read-body.js'
import { textReply, writeReply } from './reply.js'
import { type ContextSettings, type RequestContext, requestContext } from './request-context.js'
import { type LoggedRequest, type RequestLog, redactForm } from './request-log.js'
import { matchRoute, type RouteMatch } from './url-map.js'

/**
 * Everything a request may touch.
 *
 * @example
 * ```ts
 * void handleRequest(req, res, deps satisfies HandlerDeps)
 * ```
 */
export interface HandlerDeps {
  context: ContextSettings
  token: TokenEndpointDeps
  discovery: DiscoveryDeps
  faults: FaultQueue
  log: RequestLog
  signal: AbortSignal
}

/**
 * Handles one request (never throws: unexpected failures answer 500).
 *
 * @example
 * ```ts
 * server.on('request', (req, res) => void handleRequest(req, res, deps))
 * ```
 */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HandlerDeps,
): Promise<void> {
  const context = requestContext(req, deps.context)
  const url = new URL(req.url ?? '/', context.origin)
  const match = matchRoute(url.pathname)
  const method = req.method ?? 'GET'
  try {
    const body = await readBody(req)
    if (body === undefined)
      return writeReply(res, textReply(413, 'Payload Too Large', context.traceId, 'text/plain'))
    const form =
      match?.route === 'token'
        ? parseTokenForm(req.headers['content-type'], body, req.headers.authorization)
        : undefined
    const clientId = form ? claimedClientId(form) : undefined
    const fault = match ? deps.faults.take(match.route, clientId) : undefined
    const result = await runWithFault(
      fault,
      context,
      () => answer(match, method, url, form, context, deps),
      deps.signal,
    )
    const entry = logEntry(req, url, match, form, context)
    if (fault) entry.fault = fault.kind
    if (result === 'drop') {
      req.socket.destroy()
      deps.log.record({ ...entry, status: 'dropped' }, false)
      return
    }
    writeReply(res, result.reply)
    deps.log.record(
      {
        ...entry,
        status: result.reply.status,
        ...(result.errorCodes ? { errorCodes: result.errorCodes } : {}),
        ...(result.token ? { token: result.token } : {}),
      },
      result.issued,
    )
  } catch (error) {
    if (deps.signal.aborted) return void req.socket.destroy()
    if (!res.headersSent)
      writeReply(
        res,
        textReply(500, `local authority failure: ${String(error)}`, context.traceId, 'text/plain'),
      )
  }
}

async function answer(
  match: RouteMatch | undefined,
  method: string,
  url: URL,
  form: TokenForm | undefined,
  context: RequestContext,
  deps: HandlerDeps,
): Promise<Outcome> {
  if (!match)
    return { reply: textReply(404, 'Not Found', context.traceId, 'text/plain; charset=utf-8'), issued: false }
  if (match.route === 'token') {
    return answerToken(
      { method, tenant: match.tenant, version: match.version, form: form ?? { fields: new Map() }, context },
      deps.token,
    )
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      reply: textReply(405, 'Method Not Allowed', context.traceId, 'text/plain; charset=utf-8'),
      issued: false,
    }
  }
  if (match.route === 'discovery') return answerDiscovery(url.searchParams, context, deps.discovery)
  if (match.route === 'metadata') return answerMetadata(match, context, deps.discovery)
  return answerJwks(match, context, deps.discovery)
}

function logEntry(
  req: IncomingMessage,
  url: URL,
  match: RouteMatch | undefined,
  form: TokenForm | undefined,
  context: RequestContext,
): Omit<LoggedRequest, 'status'> {
  const entry: Omit<LoggedRequest, 'status'> = {
    at: context.now,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.search.slice(1),
    route: match?.route ?? 'unknown',
    traceId: context.traceId,
  }
  if (match && match.route !== 'discovery')
    Object.assign(entry, { tenant: match.tenant, version: match.version })
  if (form) {
    entry.form = redactForm(form.fields)
    const clientId = claimedClientId(form)
    if (clientId !== undefined) entry.clientId = clientId
    if (form.basic) entry.basicAuth = true
  }
  if (req.headers['content-type'] !== undefined) entry.contentType = req.headers['content-type']
  if (context.clientRequestId !== undefined) entry.clientRequestId = context.clientRequestId
  return entry
}
