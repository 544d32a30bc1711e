import { describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { ConfigurationError } from '../src/errors.js'
import type { GetTokenOptions, TokenRequest } from '../src/options.js'
import { useNetwork } from './helpers/network.js'
import { CLIENT_ID, SECRET, scriptedEndpoint, TENANT, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()

const entra = () =>
  new TokenClient({ tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET } })
const generic = () =>
  new TokenClient({
    tokenEndpoint: 'https://idp.example.com/token',
    clientId: 'svc',
    credential: { clientSecret: 'generic-secret' },
  })

/** What `getToken` rejects with, called as untyped JavaScript would call it. */
async function rejection(client: TokenClient, ...args: unknown[]): Promise<ConfigurationError> {
  const getToken = client.getToken.bind(client) as (...a: unknown[]) => Promise<unknown>
  const error = await getToken(...args).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigurationError)
  return error as ConfigurationError
}

describe('getToken arguments', () => {
  it("explains that getToken takes one resource, not @azure/identity's array of scopes", async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('never-sent')])
    network.use(endpoint.handler)
    const error = await rejection(entra(), ['https://graph.microsoft.com/.default'])
    expect(error.path).toBe('resource')
    expect(error.message).toContain('an array')
    expect(error.message).toContain('@azure/identity')
    expect(error.hint).toContain("getToken('https://graph.microsoft.com/.default')")
    expect(error.hint).toContain('asTokenCredential()')
    expect(endpoint.count).toBe(0)
  })

  it('points a generic-server caller with several scopes to { scope: [...] }', async () => {
    const error = await rejection(generic(), ['read', 'write'])
    expect(error.path).toBe('resource')
    expect(error.hint).toContain("getToken({ scope: ['read', 'write'] })")
  })

  it('refuses an empty array without echoing anything', async () => {
    const error = await rejection(entra(), [])
    expect(error.message).toContain('an array')
  })

  it.each([
    [undefined, /is missing/],
    [null, /must be a string/],
    [42, /must be a string/],
  ])('says what getToken takes when given %j', async (resource, words) => {
    const error = await rejection(entra(), resource)
    expect(error.path).toBe('resource')
    expect(error.message).toMatch(words)
    expect(error.hint).toContain("getToken('api://")
  })

  it('says the second argument is an options object when a tenant string is passed there', async () => {
    const error = await rejection(entra(), 'api://myapis/mywebapi', TENANT)
    expect(error.path).toBe('')
    expect(error.message).toContain('options')
    expect(error.hint).toContain('{ tenant:')
  })

  it('still takes a string, a request object and options', async () => {
    const endpoint = scriptedEndpoint(V2_URL, [v2Token('t1')])
    network.use(endpoint.handler)
    const request: TokenRequest = { scope: 'api://myapis/mywebapi/.default' }
    const options: GetTokenOptions = { forceRefresh: true }
    await expect(entra().getToken(request, options)).resolves.toMatchObject({ accessToken: 't1' })
  })
})
