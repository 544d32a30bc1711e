/**
 * The demo's protected Web API: `GET /orders` for ReadOnly or Admin, `DELETE /orders/:id` for Admin only,
 * guarded by `oauth-client-credentials/verify` against the local authority's keys.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGuard, createTokenVerifier } from '../verify/index.js'

/** A running demo API. */
export interface DemoApi {
  url: string
  close(): Promise<void>
}

/** Starts the demo API on 127.0.0.1, trusting tokens of `tenant` for `audience` issued by `authorityUrl`. */
export async function startDemoApi(
  authorityUrl: string,
  tenant: string,
  audience: string[],
): Promise<DemoApi> {
  const guard = createGuard(createTokenVerifier({ tenant, audience, authorityHost: authorityUrl }))
  const readers = guard.middleware({ requiredRoles: { any: ['ReadOnly', 'Admin'] } })
  const admins = guard.middleware({ requiredRoles: ['Admin'] })
  const server: Server = createServer(async (req, res) => {
    const auth = await (req.method === 'DELETE' ? admins : readers)(req, res)
    if (!auth) return
    res.setHeader('content-type', 'application/json')
    if (req.method === 'DELETE') {
      res.statusCode = 204
      res.end('')
      return
    }
    res.end(JSON.stringify({ orders: [{ id: 1, item: 'coffee' }], caller: auth.appId, roles: auth.roles }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
