import { createServer } from 'node:http'
import { createGuard, createTokenVerifier } from 'oauth-client-credentials/verify'

const verifier = createTokenVerifier({
  tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
  // v1 tokens carry the App ID URI, v2 tokens the API's application id: accept both
  audience: ['api://myapis/mywebapi', '8d3a2b1c-4e5f-4a6b-9c7d-0e1f2a3b4c5d'],
})
const guard = createGuard(verifier)
const readers = guard.middleware({ requiredRoles: { any: ['ReadOnly', 'Admin'] } })
const admins = guard.middleware({ requiredRoles: ['Admin'] })

const server = createServer(async (req, res) => {
  // answers 401 (bad or missing token) or 403 (missing role) itself; on success req.auth is set
  const auth = await (req.method === 'DELETE' ? admins : readers)(req, res)
  if (!auth) return
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ caller: auth.appId, tenant: auth.tenantId, roles: auth.roles }))
})
server.listen(8080, '127.0.0.1')
