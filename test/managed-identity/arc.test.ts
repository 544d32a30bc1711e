import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AuthorityError, ConfigurationError, CredentialError, ResponseFormatError } from '../../src/errors.js'
import { answerArcChallenge } from '../../src/managed-identity/arc.js'
import { requestManagedIdentityToken } from '../../src/managed-identity/request.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import {
  fakeTime,
  type IdentityServer,
  type Reply,
  type SeenRequest,
  startIdentityServer,
  tokenBody,
} from './server.js'

useLoopbackGuard()

const KEY = 'arc-challenge-secret-41d3'
let root: string
let tokens: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arc-'))
  tokens = join(root, 'tokens')
  await mkdir(tokens)
  await writeFile(join(tokens, 'challenge.key'), KEY)
  await writeFile(join(root, 'outside.key'), 'outside-secret')
})
afterAll(async () => rm(root, { recursive: true, force: true }))

let server: IdentityServer
afterEach(async () => server?.close())

/** An Arc agent: 401 + challenge naming `realm` without Authorization, `answer` with it. */
async function arcAgent(
  realm: string | undefined,
  answer: (request: SeenRequest) => Reply = () => ({ body: tokenBody(Date.now()) }),
) {
  server = await startIdentityServer((request) => {
    if (request.headers.authorization === undefined) {
      return { status: 401, headers: realm === undefined ? {} : { 'www-authenticate': realm }, body: {} }
    }
    return answer(request)
  })
  // localhost on purpose: the agent listens on IPv4 and requests go to 127.0.0.1
  return {
    IDENTITY_ENDPOINT: `http://localhost:${server.port}/metadata/identity/oauth2/token`,
    IMDS_ENDPOINT: `http://localhost:${server.port}`,
  }
}

const ask = (environment: Record<string, string>, extra: { identity?: { clientId: string } } = {}) =>
  requestManagedIdentityToken({
    resource: 'https://vault.azure.net',
    environment,
    arcKeyDirectory: tokens,
    clock: fakeTime(Date.now()).clock,
    ...extra,
  })

describe('Azure Arc', () => {
  it('answers the 401 challenge with the key file and gets the token', async () => {
    const environment = await arcAgent(`Basic realm=${join(tokens, 'challenge.key')}`)
    const token = await ask(environment)
    expect(server.seen).toHaveLength(2)
    const [first, second] = server.seen
    for (const request of [first, second]) {
      expect(request?.method).toBe('GET')
      expect(request?.path).toBe('/metadata/identity/oauth2/token')
      expect([...(request?.query ?? [])]).toEqual([
        ['api-version', '2019-11-01'],
        ['resource', 'https://vault.azure.net'],
      ])
      expect(request?.headers.metadata).toBe('true')
    }
    expect(first?.headers.authorization).toBeUndefined()
    expect(second?.headers.authorization).toBe(`Basic ${KEY}`)
    expect(token.source).toBe('azure-arc')
  })

  it('refuses a challenge naming a file outside the key directory, sending nothing more', async () => {
    const environment = await arcAgent(`Basic realm=${join(root, 'outside.key')}`)
    const error = await ask(environment).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    expect(server.seen).toHaveLength(1)
    expect(inspect(error)).not.toContain('outside-secret')
  })

  it.each([
    [undefined, /without a WWW-Authenticate challenge/],
    ['Bearer realm="x"', /not "Basic realm=<file>"/],
  ])('refuses a 401 whose challenge is %s', async (header, message) => {
    const environment = await arcAgent(header)
    const error = await ask(environment).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect((error as ResponseFormatError).message).toMatch(message)
    expect(server.seen).toHaveLength(1)
  })

  it('answers the challenge once: a second 401 is the error, and the key never shows in it', async () => {
    const environment = await arcAgent(`Basic realm=${join(tokens, 'challenge.key')}`, () => ({
      status: 401,
      body: { error: 'unauthorized', error_description: 'bad key' },
    }))
    const error = (await ask(environment).catch((e: unknown) => e)) as AuthorityError
    expect(error).toBeInstanceOf(AuthorityError)
    expect(error.status).toBe(401)
    expect(server.seen).toHaveLength(2)
    expect(`${inspect(error)} ${JSON.stringify(error)}`).not.toContain(KEY)
  })

  it('refuses a user-assigned identity before sending anything', async () => {
    const environment = await arcAgent(`Basic realm=${join(tokens, 'challenge.key')}`)
    const error = await ask(environment, {
      identity: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(server.seen).toHaveLength(0)
  })

  it('refuses to answer a challenge where Arc does not run (no key directory)', async () => {
    const error = await answerArcChallenge('Basic realm=/var/opt/azcmagent/tokens/a.key', undefined).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).message).toMatch(/Linux and Windows only/)
  })
})
