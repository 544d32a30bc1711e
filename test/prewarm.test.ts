/**
 * `client.prewarm(resources)`: every token requested at once, the failures reported (never thrown), the
 * tokens obtained then served from memory.
 */
import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { AuthorityError, ClientClosedError } from '../src/errors.js'
import { useNetwork } from './helpers/network.js'
import { CLIENT_ID, entraError, fakeJwt, SECRET, TENANT, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()
const GRAPH = 'https://graph.microsoft.com'
const API = 'api://myapis/mywebapi'
const MISSING = 'api://myapis/missing'

function newClient() {
  return new TokenClient({ tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET } })
}

/** An endpoint that holds every answer until `release()`, answering MISSING with an AADSTS500011. */
function heldEndpoint() {
  const scopes: string[] = []
  let release!: () => void
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let arrived!: () => void
  const expected = { count: Number.POSITIVE_INFINITY }
  const allArrived = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const handler = http.post(V2_URL, async ({ request }) => {
    const scope = new URLSearchParams(await request.text()).get('scope') ?? ''
    scopes.push(scope)
    if (scopes.length >= expected.count) arrived()
    await released
    if (scope.startsWith(MISSING)) {
      return entraError(400, 'invalid_resource', 500011, 'The resource principal was not found.')
    }
    return v2Token(fakeJwt({ aud: scope }))
  })
  return { handler, scopes, release, allArrived, expected }
}

describe('client.prewarm', () => {
  it('requests every token concurrently and reports which failed, without throwing', async () => {
    const endpoint = heldEndpoint()
    endpoint.expected.count = 3
    network.use(endpoint.handler)
    const client = newClient()
    const warming = client.prewarm([API, { scope: `${GRAPH}/.default` }, MISSING])
    await endpoint.allArrived // all three were sent before any was answered
    endpoint.release()
    const result = await warming
    expect(result.ok).toEqual([API, { scope: `${GRAPH}/.default` }])
    expect(result.failed).toHaveLength(1)
    expect(result.failed[0]?.resource).toBe(MISSING)
    expect(result.failed[0]?.error).toBeInstanceOf(AuthorityError)
    expect(client.cachedTokens).toBe(2)
    await client.getToken(API)
    expect(endpoint.scopes).toHaveLength(3) // served from memory
  })

  it('reports an invalid resource as a failure too', async () => {
    const client = newClient()
    const result = await client.prewarm([''])
    expect(result.ok).toEqual([])
    expect(result.failed[0]?.resource).toBe('')
    expect(result.failed[0]?.error).toMatchObject({ code: 'ERR_CONFIG_INVALID' })
  })

  it('passes its options to each request (a tenant)', async () => {
    const other = 'fabrikam.onmicrosoft.com'
    const seen: string[] = []
    network.use(
      http.post(`https://login.microsoftonline.com/${other}/oauth2/v2.0/token`, () => {
        seen.push(other)
        return v2Token(fakeJwt({ aud: API }))
      }),
    )
    const client = newClient()
    const result = await client.prewarm([API], { tenant: other })
    expect(result).toEqual({ ok: [API], failed: [] })
    expect(seen).toEqual([other])
  })

  it('on a closed client reports every resource failed with ClientClosedError', async () => {
    const client = newClient()
    await client.close()
    const result = await client.prewarm([API, GRAPH])
    expect(result.ok).toEqual([])
    expect(result.failed.map((f) => f.resource)).toEqual([API, GRAPH])
    for (const failure of result.failed) expect(failure.error).toBeInstanceOf(ClientClosedError)
  })

  it('answers an empty list with empty lists', async () => {
    await expect(newClient().prewarm([])).resolves.toEqual({ ok: [], failed: [] })
  })
})
