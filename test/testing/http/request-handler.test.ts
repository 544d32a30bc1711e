import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { assertionForm, get, post } from '../helpers.js'

const SCOPE = `${EXAMPLE.api.uri}/.default`
let authority: LocalAuthority
let endpoint: string
beforeAll(async () => {
  authority = await startLocalAuthority()
  endpoint = authority.tokenEndpoint(EXAMPLE.tenantId)
})
afterAll(() => authority.close())

describe('the local authority, on requests it cannot serve', () => {
  it('answers 413 to a body over 1 MiB', async () => {
    const body = `scope=${'x'.repeat(1024 * 1024)}`
    const res = await post(endpoint, body, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect([res.status, res.text]).toEqual([413, 'Payload Too Large'])
  })

  it('answers 405 to a POST to the metadata and JWKS routes, and logs it', async () => {
    for (const url of [authority.metadataUrl(EXAMPLE.tenantId), authority.jwksUrl(EXAMPLE.tenantId)]) {
      const res = await post(url, 'x')
      expect([res.status, res.text]).toEqual([405, 'Method Not Allowed'])
      expect(authority.requests.last()?.status).toBe(405)
    }
  })

  it('answers instance discovery without authorization_endpoint with AADSTS900144, and an unparsable one with AADSTS50049', async () => {
    const discovery = `${authority.url}/common/discovery/instance?api-version=1.1`
    expect((await get(discovery)).json).toMatchObject({ error: 'invalid_request', error_codes: [900144] })
    const unparsable = await get(`${discovery}&authorization_endpoint=not%20a%20url`)
    expect(unparsable.json).toMatchObject({ error: 'invalid_instance', error_codes: [50049] })
  })

  it.each([
    ['without a colon', EXAMPLE.clients.admin.appId],
    ['with a broken percent-encoding', `${EXAMPLE.clients.admin.appId}:%E0%A4%A`],
  ])(
    'ignores an HTTP Basic header %s, answering AADSTS900144 for the missing client_id',
    async (_name, value) => {
      const authorization = `Basic ${Buffer.from(value).toString('base64')}`
      const res = await post(
        endpoint,
        { grant_type: 'client_credentials', scope: SCOPE },
        { headers: { authorization } },
      )
      expect(res.json).toMatchObject({ error: 'invalid_request', error_codes: [900144] })
      expect(String(res.json.error_description)).toContain("'client_id'")
    },
  )

  it('answers AADSTS50027 to a client assertion of three parts that do not decode', async () => {
    const res = await post(endpoint, assertionForm(EXAMPLE.clients.admin.appId, 'a.b.c', SCOPE))
    expect(res.json).toMatchObject({ error: 'invalid_request', error_codes: [50027] })
  })
})
