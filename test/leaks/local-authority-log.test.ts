/**
 * The leak suite for the local authority (issue 13, finding 10): whatever shape a token request has —
 * a JSON body under a form content type, multipart, other separators, names in another case, the
 * secret in the query string, a malformed request target — no client secret or assertion appears in
 * the request log (every rendering) or in the answer.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { rawRequest } from '../testing/helpers.js'
import { renderings } from './exposure.js'
import { registerLeakApps, SECRET_APP, signAssertion } from './kinds.js'
import { baseSecrets, expectNoLeak, LEAK_SECRET, WRONG_SECRET } from './secrets.js'

const TENANT = EXAMPLE.tenantId
const SCOPE = `${EXAMPLE.api.uri}/.default`
const FORM = 'application/x-www-form-urlencoded'

let authority: LocalAuthority
let path: string
let assertion: string
beforeAll(async () => {
  authority = await startLocalAuthority()
  registerLeakApps(authority)
  path = new URL(authority.tokenEndpoint(TENANT)).pathname
  assertion = await signAssertion(SECRET_APP, authority.tokenEndpoint(TENANT))
})
afterAll(() => authority?.close())
beforeEach(() => authority.requests.clear())

/** Bodies that carry a credential in a shape the form parser does not expect. */
function malformedBodies(secret: string): Array<[string, string]> {
  const json = JSON.stringify({
    grant_type: 'client_credentials',
    client_id: SECRET_APP,
    client_secret: secret,
    scope: SCOPE,
  })
  return [
    ['a JSON body', json],
    ['a JSON body with = and & in its values', JSON.stringify({ client_secret: secret, scope: 'a=b&c' })],
    [
      'a multipart body',
      `--b\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n${secret}\r\n--b--`,
    ],
    ['fields separated by ;', `client_id=${SECRET_APP};client_secret=${secret};scope=${SCOPE}`],
    ['fields on separate lines', `client_id=${SECRET_APP}\nclient_secret=${secret}\nscope=${SCOPE}`],
    ['fields separated by spaces', `scope=${SCOPE} client_secret=${secret}`],
    ['a capitalised field name', `Client_Secret=${encodeURIComponent(secret)}`],
    ['an upper-case field name', `CLIENT_SECRET=${encodeURIComponent(secret)}`],
    ['a field name with a trailing space', `client_secret%20=${encodeURIComponent(secret)}`],
    ['a password field', `password=${encodeURIComponent(secret)}`],
    ['the secret alone', secret],
    ['the secret as a field name', `${secret}=1`],
    ['YAML', `client_id: ${SECRET_APP}\nclient_secret: ${secret}`],
  ]
}

async function send(target: string, body: string, contentType = FORM): Promise<string> {
  return rawRequest(
    authority.port,
    `POST ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: ${contentType}`,
    body,
  )
}

function expectNoLeakIn(answers: readonly string[]): void {
  // The claimed client id is logged lower-cased: a secret run into it would be too.
  const secrets = baseSecrets()
    .addToken('client assertion', assertion)
    .add('client secret, lower-cased', LEAK_SECRET.toLowerCase())
    .add('wrong secret, lower-cased', WRONG_SECRET.toLowerCase())
  expectNoLeak(secrets, {
    'request log': renderings(authority.requests.all()),
    'last entry': renderings(authority.requests.last()),
    counters: renderings(authority.counters),
    answers,
  })
}

describe('the request log of the local authority', () => {
  it.each([LEAK_SECRET, WRONG_SECRET])(
    'holds no secret sent in a malformed body under a form content type (%#)',
    async (secret) => {
      const answers: string[] = []
      for (const [, body] of malformedBodies(secret)) answers.push(await send(path, body))
      expectNoLeakIn(answers)
    },
  )

  it('holds no client assertion sent in a JSON body under a form content type', async () => {
    const body = JSON.stringify({ client_assertion: assertion, client_id: SECRET_APP, scope: SCOPE })
    const answers = [
      await send(path, body),
      await send(path, `client_id=${SECRET_APP};client_assertion=${assertion}`),
    ]
    expectNoLeakIn(answers)
  })

  it('holds no secret sent in the query string, on any route', async () => {
    const query = new URLSearchParams({ client_id: SECRET_APP, client_secret: LEAK_SECRET, scope: SCOPE })
    const answers: string[] = []
    for (const target of [
      `${path}?${query}`,
      `${path}?client_secret=${LEAK_SECRET}`,
      `${path}?${LEAK_SECRET}`,
      `/${TENANT}/v2.0/.well-known/openid-configuration?client_secret=${LEAK_SECRET}`,
      `/nowhere?client_secret=${LEAK_SECRET}`,
    ]) {
      answers.push(await send(target, `grant_type=client_credentials&client_id=${SECRET_APP}`))
    }
    expectNoLeakIn(answers)
  })

  it('holds no secret sent with a malformed request target or a non-form content type', async () => {
    const body = `grant_type=client_credentials&client_id=${SECRET_APP}&client_secret=${encodeURIComponent(LEAK_SECRET)}`
    const answers = [
      await send(`//x:99999${path}`, body),
      await send(`http://[${path}`, body),
      await send(path, body, 'application/json'),
      await send(path, body, `${FORM}; charset=utf-8`),
      await send(path, body, 'Application/X-WWW-Form-Urlencoded'),
    ]
    expectNoLeakIn(answers)
  })
})
