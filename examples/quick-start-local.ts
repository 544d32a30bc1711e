import { TokenClient } from 'oauth-client-credentials'

// reads AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST
const client = TokenClient.fromEnvironment()

const token = await client.getToken('api://myapis/mywebapi')
console.log(token.scope, new Date(token.expiresAt).toISOString(), token.claims?.roles)

const again = await client.getToken('api://myapis/mywebapi')
console.log(again === token) // true
