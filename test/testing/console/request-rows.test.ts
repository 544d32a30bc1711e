import { describe, expect, it } from 'vitest'
import { requestRow, SHOWN_FIELDS, whyNoRoles } from '../../../src/testing/console/request-rows.js'
import { EXAMPLE } from '../../../src/testing/index.js'
import { consoleSetup, tokenEntry } from './setup.js'

const API = EXAMPLE.api.uri
const claimsFor = (clientId: string, extra: Record<string, unknown> = {}) => ({
  aud: API,
  appid: clientId,
  tid: EXAMPLE.tenantId,
  ver: '1.0',
  ...extra,
})

describe('a request row', () => {
  it('names the tenant and client, shows the named form fields only, and says how the client authenticated', () => {
    const { store } = consoleSetup()
    const row = requestRow(
      tokenEntry({
        clientId: EXAMPLE.clients.admin.appId,
        form: {
          grant_type: 'client_credentials',
          client_id: EXAMPLE.clients.admin.appId,
          client_secret: '[redacted]',
          scope: `${API}/.default`,
          password: 'typed-into-the-wrong-field',
          client_assertion_typo: 'eyJ.not.shown',
        },
      }),
      7,
      store,
    )
    expect(row).toMatchObject({
      seq: 7,
      tenantName: 'Contoso',
      clientName: 'daemon-admin',
      auth: 'secret (form)',
      fields: { grant_type: 'client_credentials', scope: `${API}/.default` },
      errors: [],
    })
    expect(Object.keys(row.fields).every((name) => SHOWN_FIELDS.includes(name))).toBe(true)
    expect(JSON.stringify(row)).not.toContain('typed-into-the-wrong-field')
    expect(JSON.stringify(row)).not.toContain('eyJ.not.shown')
  })

  it.each([
    ['Basic', { basicAuth: true, form: {} }, 'secret (Basic)'],
    ['an assertion', { form: { client_assertion: '[redacted]' } }, 'assertion'],
    ['nothing', { form: {} }, 'none'],
  ] as const)('says the client authenticated with %s', (_name, overrides, auth) => {
    const { store } = consoleSetup()
    expect(requestRow(tokenEntry(overrides), 1, store).auth).toBe(auth)
  })

  it('explains each AADSTS code of a refusal', () => {
    const { store } = consoleSetup()
    const row = requestRow(tokenEntry({ status: 401, errorCodes: [7000215] }), 1, store)
    expect(row.errors).toEqual([
      expect.objectContaining({
        code: 7000215,
        meaning: 'wrong client secret',
        hint: expect.stringContaining('Value'),
      }),
    ])
    expect(row.note).toBeUndefined()
  })

  it('explains an answer without code: throttled by a fault, a dropped connection, an unknown route', () => {
    const { store } = consoleSetup()
    expect(requestRow(tokenEntry({ status: 429, fault: 'status429' }), 1, store).note?.meaning).toBe(
      'throttled (fault injected)',
    )
    expect(requestRow(tokenEntry({ status: 'dropped', fault: 'drop' }), 2, store).note?.meaning).toMatch(
      /^connection dropped/,
    )
    const unknown = requestRow(
      { at: 0, method: 'GET', path: '/nope', query: '', route: 'unknown', traceId: 't', status: 404 },
      3,
      store,
    )
    expect(unknown).toMatchObject({ note: { meaning: 'no such route' } })
    expect(unknown.auth).toBeUndefined()
  })

  it('names no client that is not registered', () => {
    const { store } = consoleSetup()
    const row = requestRow(tokenEntry({ clientId: '00000000-0000-4000-8000-00000000abcd' }), 1, store)
    expect(row.clientId).toBe('00000000-0000-4000-8000-00000000abcd')
    expect(row.clientName).toBeUndefined()
  })

  it("shows an issued token's header and claims with its roles", () => {
    const { store } = consoleSetup()
    const claims = claimsFor(EXAMPLE.clients.admin.appId, { roles: ['Admin'] })
    const row = requestRow(tokenEntry({ token: { header: { alg: 'RS256', kid: 'k1' }, claims } }), 1, store)
    expect(row.token).toEqual({ header: { alg: 'RS256', kid: 'k1' }, claims, roles: ['Admin'] })
  })
})

describe('why a token has no roles', () => {
  it('admin consent missing: the example registry’s unconsented client', () => {
    const { store } = consoleSetup()
    const claims = claimsFor(EXAMPLE.clients.unconsented.appId)
    expect(whyNoRoles(claims, store)).toBe(
      'no roles: admin consent missing (granted ReadOnly on mywebapi, not consented)',
    )
    const row = requestRow(tokenEntry({ token: { header: {}, claims } }), 1, store)
    expect(row.token?.rolesNote).toMatch(/^no roles: admin consent missing/)
  })

  it('no role granted, with v2 claims (azp, aud the API application id)', () => {
    const { store, clients } = consoleSetup()
    clients.revoke(EXAMPLE.clients.reader.appId, API)
    const claims = { aud: EXAMPLE.api.appId, azp: EXAMPLE.clients.reader.appId, tid: EXAMPLE.tenantId }
    expect(whyNoRoles(claims, store)).toBe('no roles: no app role of mywebapi is granted to this client')
  })

  it('a v1 audience with a trailing slash is still the API', () => {
    const { store } = consoleSetup()
    const claims = claimsFor(EXAMPLE.clients.unconsented.appId, { aud: `${API}/` })
    expect(whyNoRoles(claims, store)).toMatch(/^no roles: admin consent missing/)
  })

  it('the roles granted are no longer defined by the API', () => {
    const { store } = consoleSetup()
    const api = store.findApi(API)
    if (!api) throw new Error('no example API')
    api.appRoles = api.appRoles.filter((role) => role.value !== 'Admin')
    expect(whyNoRoles(claimsFor(EXAMPLE.clients.admin.appId), store)).toBe(
      'no roles: the roles granted (Admin) are no longer defined by mywebapi',
    )
  })

  it('an audience that is no registered API', () => {
    const { store } = consoleSetup()
    expect(whyNoRoles({ aud: 'api://elsewhere' }, store)).toBe(
      'no roles: the audience is not a registered API',
    )
    expect(whyNoRoles({}, store)).toBe('no roles: the audience is not a registered API')
  })
})
