/**
 * CAE-capable tokens (issue 15 item 6): `clientCapabilities: ['cp1']` is sent as Entra expects — the
 * `claims` parameter `{"access_token":{"xms_cc":{"values":["cp1"]}}}`, merged with a claims challenge —
 * and as `xms_cc` in a managed identity's query; `asTokenCredential()` asks for CAE-capable tokens only
 * when the Azure SDK sets `enableCae`, and those are cached apart from the others.
 */
import { describe, expect, it } from 'vitest'
import { TokenClient } from '../src/client.js'
import { claimsWithCapabilities } from '../src/client-capabilities.js'
import { ConfigurationError } from '../src/errors.js'
import { useNetwork } from './helpers/network.js'
import { CLIENT_ID, SECRET, scriptedEndpoint, TENANT, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()
const API = 'api://myapis/mywebapi'
const CP1 = '{"access_token":{"xms_cc":{"values":["cp1"]}}}'
const CHALLENGE = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'

function endpoint() {
  let n = 0
  const scripted = scriptedEndpoint(V2_URL, [() => v2Token(`at-${++n}`)])
  network.use(scripted.handler)
  return scripted
}

const client = (extra: Record<string, unknown> = {}) =>
  new TokenClient({ tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET }, ...extra })

describe('clientCapabilities with Entra', () => {
  it('sends claims {"access_token":{"xms_cc":{"values":["cp1"]}}} on every token request', async () => {
    const tokens = endpoint()
    await client({ clientCapabilities: ['cp1'] }).getToken(API)
    expect(tokens.seen[0]?.form.get('claims')).toBe(CP1)
  })

  it('merges the capabilities into a claims challenge', async () => {
    const tokens = endpoint()
    await client({ clientCapabilities: ['cp1'] }).getToken(API, { claims: CHALLENGE })
    expect(JSON.parse(tokens.seen[0]?.form.get('claims') ?? '')).toEqual({
      access_token: { nbf: { essential: true, value: '1700000000' }, xms_cc: { values: ['cp1'] } },
    })
  })

  it('sends no claims without the option, and the challenge alone with it', async () => {
    const tokens = endpoint()
    const plain = client()
    await plain.getToken(API)
    await plain.getToken(API, { claims: CHALLENGE })
    expect(tokens.seen.map((seen) => seen.form.get('claims'))).toEqual([null, CHALLENGE])
  })

  it('getToken(…, { enableCae: false }) asks without them, cached apart', async () => {
    const tokens = endpoint()
    const cae = client({ clientCapabilities: ['cp1'] })
    const capable = await cae.getToken(API)
    const plain = await cae.getToken(API, { enableCae: false })
    expect(plain).not.toBe(capable)
    expect(await cae.getToken(API, { enableCae: false })).toBe(plain)
    expect(await cae.getToken(API)).toBe(capable)
    expect(tokens.seen.map((seen) => seen.form.get('claims'))).toEqual([CP1, null])
  })

  it('refuses a capability that is not a name, and clientCapabilities with tokenEndpoint', () => {
    expect(() => client({ clientCapabilities: ['cp1', 'x y'] })).toThrow(ConfigurationError)
    expect(() => client({ clientCapabilities: ['cp1', 'x y'] })).toThrow(/clientCapabilities/)
    expect(
      () =>
        new TokenClient({
          tokenEndpoint: 'https://idp.example.com/token',
          clientId: 'daemon',
          credential: { clientSecret: SECRET },
          clientCapabilities: ['cp1'],
        }),
    ).toThrow(/clientCapabilities/)
  })
})

describe('asTokenCredential() and enableCae', () => {
  it('asks for a CAE-capable token only when the SDK sets enableCae', async () => {
    const tokens = endpoint()
    const credential = client({ clientCapabilities: ['cp1'] }).asTokenCredential()
    await credential.getToken(`${API}/.default`)
    await credential.getToken(`${API}/.default`, { enableCae: true })
    await credential.getToken(`${API}/.default`, { enableCae: true, claims: CHALLENGE })
    const sent = tokens.seen.map((seen) => seen.form.get('claims'))
    expect(sent[0]).toBeNull()
    expect(sent[1]).toBe(CP1)
    expect(JSON.parse(sent[2] ?? '')).toMatchObject({
      access_token: { xms_cc: { values: ['cp1'] }, nbf: {} },
    })
  })

  it('without clientCapabilities, enableCae changes nothing (no capability to send)', async () => {
    const tokens = endpoint()
    const credential = client().asTokenCredential()
    await credential.getToken(`${API}/.default`, { enableCae: true })
    expect(tokens.seen[0]?.form.get('claims')).toBeNull()
  })
})

describe('claimsWithCapabilities', () => {
  it('keeps the other claims, replaces an xms_cc, and refuses claims that are not a JSON object', () => {
    expect(claimsWithCapabilities(undefined, [])).toBeUndefined()
    expect(claimsWithCapabilities(CHALLENGE, [])).toBe(CHALLENGE)
    expect(
      JSON.parse(
        claimsWithCapabilities('{"id_token":{"a":1},"access_token":{"xms_cc":{"values":["old"]}}}', [
          'cp1',
          'cp2',
        ]) ?? '',
      ),
    ).toEqual({
      id_token: { a: 1 },
      access_token: { xms_cc: { values: ['cp1', 'cp2'] } },
    })
    expect(() => claimsWithCapabilities('not json', ['cp1'])).toThrow(ConfigurationError)
    expect(() => claimsWithCapabilities('[1]', ['cp1'])).toThrow(/claims/)
  })
})
