import { TokenClient } from 'oauth-client-credentials'

const client = new TokenClient({
  tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8', // your tenant id (or a verified domain)
  clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e', // the app registration's client id
  credential: { clientSecret: process.env.CLIENT_SECRET! },
})

// asks Entra for api://myapis/mywebapi/.default
const token = await client.getToken('api://myapis/mywebapi')
console.log(token.scope, new Date(token.expiresAt).toISOString(), token.claims?.roles)

// later calls come from memory; the token is refreshed in the background before it expires
const again = await client.getToken('api://myapis/mywebapi')
console.log(again === token) // true
