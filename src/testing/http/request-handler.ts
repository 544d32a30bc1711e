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
import { newGuid } from '../entra/ids.js'
import { runWithFault } from '../faults/effects.js'
import type { FaultQueue } from '../faults/queue.js'
import { answerManagedIdentity, type ManagedIdentityDeps } from '../managed-identity/routes.js'
import type { TokenEndpointDeps } from '../token/decision.js'
import { claimedClientId, parseTokenForm, type TokenForm } from '../token/form.js'
import { answerToken } from '../token/route.js'
import type { Outcome } from './outcome.js'
import { readBody } from './read-body.js'
import { textReply, writeReply } from './reply.js'
import { type ContextSettings, type RequestContext, requestContext } from './request-context.js'
import { type LoggedRequest, publicValue, type RequestLog, redactForm, redactQuery } from './request-log.js'
import { parseRequestTarget, UNPARSABLE_TARGET } from './request-target.js'
import { isManagedIdentityRoute, matchRoute, type RouteMatch, type TenantRouteCall } from './url-map.js'

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
  managedIdentity: ManagedIdentityDeps
  faults: FaultQueue
  log: RequestLog
  signal: AbortSignal
}

/**
 * Handles one request. Never rejects, whatever the request: an unparsable target answers 400, an
 * unexpected failure 500, and a failure while answering destroys the socket.
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
  let traceId: string | undefined
  try {
    const context = requestContext(req, deps.context)
    traceId = context.traceId
    const url = parseRequestTarget(req.url, context.origin)
    if (url === undefined) return refuseTarget(req, res, context, deps.log)
    await serve(req, res, { url, context }, deps)
  } catch (error) {
    failSafely(req, res, error, traceId, deps.signal)
  }
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  { url, context }: { url: URL; context: RequestContext },
  deps: HandlerDeps,
): Promise<void> {
  const match = matchRoute(url.pathname)
  const body = await readBody(req)
  if (body === undefined)
    return writeReply(res, textReply(413, 'Payload Too Large', context.traceId, 'text/plain'))
  const form =
    match?.route === 'token'
      ? parseTokenForm(req.headers['content-type'], body, req.headers.authorization)
      : undefined
  if (form && req.headers.dpop !== undefined) form.dpop = [req.headers.dpop].flat()
  const clientId = form ? claimedClientId(form) : undefined
  const fault = match ? deps.faults.take(match.route, clientId) : undefined
  const result = await runWithFault(
    fault,
    context,
    () => answer(match, { req, url, body, form, context }, deps),
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
  const codes = result.errorCodes ? { errorCodes: result.errorCodes } : {}
  const token = result.token ? { token: result.token } : {}
  deps.log.record({ ...entry, status: result.reply.status, ...codes, ...token }, result.issued)
}

/** 400 to a request target that is no URL path (`//[`, `http://[`, `*`); logged without the target. */
function refuseTarget(
  req: IncomingMessage,
  res: ServerResponse,
  context: RequestContext,
  log: RequestLog,
): void {
  req.resume()
  res.shouldKeepAlive = false
  writeReply(res, textReply(400, 'Bad Request', context.traceId, 'text/plain; charset=utf-8'))
  log.record(
    {
      at: context.now,
      method: req.method ?? 'GET',
      path: UNPARSABLE_TARGET,
      query: '',
      route: 'unknown',
      traceId: context.traceId,
      status: 400,
    },
    false,
  )
}

/** The last resort: answer 500 if nothing was sent yet, else (or if even that fails) drop the socket. */
function failSafely(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  traceId: string | undefined,
  signal: AbortSignal,
): void {
  try {
    if (signal.aborted || res.headersSent) return void req.socket.destroy()
    const text = `local authority failure: ${error instanceof Error ? error.name : 'unknown error'}`
    writeReply(res, textReply(500, text, traceId ?? newGuid(), 'text/plain'))
  } catch {
    req.socket.destroy()
  }
}

/** One request as read: the message, its URL, its body and (for the token route) its form. */
interface ReadRequest {
  req: IncomingMessage
  url: URL
  body: Buffer
  form: TokenForm | undefined
  context: RequestContext
}

async function answer(
  match: RouteMatch | undefined,
  { req, url, body, form, context }: ReadRequest,
  deps: HandlerDeps,
): Promise<Outcome> {
  if (!match)
    return { reply: textReply(404, 'Not Found', context.traceId, 'text/plain; charset=utf-8'), issued: false }
  const method = req.method ?? 'GET'
  if (isManagedIdentityRoute(match.route)) {
    const call = { method, url, headers: req.headers, body, context }
    return answerManagedIdentity(match.route, call, deps.managedIdentity)
  }
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
  return answerJwks(match as TenantRouteCall, context, deps.discovery)
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
    query: redactQuery(url.search.slice(1)),
    route: match?.route ?? 'unknown',
    traceId: context.traceId,
  }
  if (match && 'tenant' in match) Object.assign(entry, { tenant: match.tenant, version: match.version })
  if (form) {
    entry.form = redactForm(form.fields)
    const clientId = claimedClientId(form)
    if (clientId !== undefined) entry.clientId = publicValue(clientId)
    if (form.basic) entry.basicAuth = true
  }
  if (req.headers['content-type'] !== undefined) entry.contentType = req.headers['content-type']
  if (context.clientRequestId !== undefined) entry.clientRequestId = context.clientRequestId
  return entry
}
