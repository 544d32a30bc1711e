/**
 * The matrix's clients use a dispatcher that follows redirects (undici's `interceptors.redirect`, as an
 * app's might), and this file makes the one fault the local authority cannot: its token endpoint
 * answering with a redirect (issue 13). The token request still reaches the authority, which logs it (so
 * the request counts hold); its answer is replaced by the redirect, whose Location is another host over
 * plain http (`token-thief.test`, resolved to 127.0.0.1 by the rig's agent) where a listener counts every
 * byte that reaches it: none may.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Dispatcher } from 'undici'

/** A redirect answer from the token endpoint, to another host. */
export interface RedirectFault {
  readonly kind: 'redirect'
  readonly status: 301 | 302 | 303 | 307 | 308
}

/** Replaces the authority's next answers by redirects, and counts what reaches the redirect target. */
export interface Redirector {
  /** Compose inside the redirect interceptor: it rewrites the answers the redirect handler then sees. */
  readonly interceptor: Dispatcher.DispatcherComposeInterceptor
  /** The next `times` answers from `authorityOrigin` become `fault`. */
  arm(fault: RedirectFault, times: number): void
  /** Connections and bytes the redirect target received. */
  reached(): { connections: number; bytes: number }
  close(): Promise<void>
}

type Handler = Dispatcher.DispatchHandler

/** Starts the redirect target; answers from `authorityOrigin` can then be turned into redirects to it. */
export async function startRedirector(authorityOrigin: string): Promise<Redirector> {
  let connections = 0
  let bytes = 0
  const target = createServer((_req, res) => res.writeHead(500).end())
  target.on('connection', (socket) => {
    connections++
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length))
  })
  target.listen(0, '127.0.0.1')
  await once(target, 'listening')
  const location = `http://token-thief.test:${(target.address() as AddressInfo).port}/steal`
  let armed: { fault: RedirectFault; times: number } | undefined

  const interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    if (armed === undefined || armed.times === 0 || String(opts.origin) !== authorityOrigin) {
      return dispatch(opts, handler)
    }
    armed.times--
    return dispatch(opts, redirecting(handler, armed.fault.status, location))
  }
  return {
    interceptor,
    arm: (fault, times) => {
      armed = { fault, times }
    },
    reached: () => ({ connections, bytes }),
    close: async () => {
      target.closeAllConnections()
      target.close()
      await once(target, 'close')
    },
  }
}

/** Passes everything on, but the answer becomes `status` with `location`, without a body. */
function redirecting(handler: Handler, status: number, location: string): Handler {
  return {
    onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
    onResponseStart: (controller) => handler.onResponseStart?.(controller, status, { location }, 'Redirect'),
    onResponseData: () => {},
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
  }
}
