import { createServer } from 'node:http'
import { createGuard, createTokenVerifier } from 'oauth-client-credentials/verify'

const verifier = createTokenVerifier({
  tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
  // v1 tokens carry the App ID URI, v2 tokens the API's application id: accept both
  audience: ['api://myapis/mywebapi', 'c2a3d5e1-7b64-4f0e-9a1d-3e5f7b9c1d20'],
  // AZURE_AUTHORITY_HOST unset: Entra's keys and issuers; set to the emulator's URL: the emulator's
  authorityHost: process.env.AZURE_AUTHORITY_HOST,
})
const guard = createGuard(verifier)
const readers = guard.middleware({ requiredRoles: { any: ['ReadOnly', 'Admin'] } })
const admins = guard.middleware({ requiredRoles: ['Admin'] })

export const server = createServer(async (req, res) => {
  // answers 401 (bad or missing token) or 403 (missing role) itself; on success req.auth is set
  const auth = await (req.method === 'DELETE' ? admins : readers)(req, res)
  if (!auth) return
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ caller: auth.appId, tenant: auth.tenantId, roles: auth.roles }))
})
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1')
