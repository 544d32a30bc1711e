/** The verifier, continued: tenants, signatures and algorithms, malformed input, options, hints. */
import { SignJWT } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigurationError, TokenVerificationError } from '../../src/errors.js'
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/verify/index.js'
import {
  API_APP_ID,
  APP_ID_URI,
  clock,
  createTestKey,
  type JwksServer,
  mint,
  OTHER_TENANT,
  rejectionOf,
  startJwksServer,
  TENANT,
  type TestKey,
  THIRD_TENANT,
  unsignedToken,
  v1Claims,
  v2Claims,
} from './support.js'

let key: TestKey
let stranger: TestKey
let server: JwksServer

beforeAll(async () => {
  ;[key, stranger] = await Promise.all([createTestKey('key-1'), createTestKey('not-published')])
  server = await startJwksServer([key])
})
afterAll(() => server.close())
beforeEach(() => server.requests.clear())

function verifierWith(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    tenant: TENANT,
    audience: [APP_ID_URI, API_APP_ID],
    jwksUri: server.jwksUri(),
    now: clock,
    ...options,
  } as TokenVerifierOptions)
}

async function rejection(promise: Promise<unknown>): Promise<TokenVerificationError> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(TokenVerificationError)
  return error as TokenVerificationError
}

describe('tenants', () => {
  it('refuses a token from a tenant other than the configured one, before fetching any key', async () => {
    const token = await mint(key, v2Claims({ tid: OTHER_TENANT }))
    const error = await rejection(verifierWith().verify(token))
    expect([error.reason, error.message]).toEqual(['tenant', `tenant ${OTHER_TENANT} is not allowed`])
    expect(server.total()).toBe(0)
  })

  it('accepts tokens from every allow-listed tenant, each with its own issuer', async () => {
    const verifier = verifierWith({ tenant: undefined, tenants: [TENANT, OTHER_TENANT] })
    await expect(verifier.verify(await mint(key, v2Claims({ tid: OTHER_TENANT })))).resolves.toMatchObject({
      tenantId: OTHER_TENANT,
    })
    await expect(verifier.verify(await mint(key, v1Claims({ tid: TENANT })))).resolves.toMatchObject({
      tenantId: TENANT,
    })
    expect((await rejection(verifier.verify(await mint(key, v2Claims({ tid: THIRD_TENANT }))))).reason).toBe(
      'tenant',
    )
  })

  it('refuses an allow-listed tid whose issuer names another allow-listed tenant', async () => {
    const verifier = verifierWith({ tenant: undefined, tenants: [TENANT, OTHER_TENANT] })
    const token = await mint(
      key,
      v2Claims({ tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }),
    )
    expect((await rejection(verifier.verify(token))).reason).toBe('issuer')
  })

  it("fetches each allowed tenant's own JWKS by default", async () => {
    const verifier = verifierWith({
      tenant: undefined,
      tenants: [TENANT, OTHER_TENANT],
      authorityHost: server.origin,
      jwksUri: undefined,
    })
    await verifier.verify(
      await mint(key, v2Claims({ tid: OTHER_TENANT, iss: `${server.origin}/${OTHER_TENANT}/v2.0` })),
    )
    await verifier.verify(await mint(key, v2Claims({ tid: TENANT, iss: `${server.origin}/${TENANT}/v2.0` })))
    expect([...server.requests.keys()].sort()).toEqual(
      [`/${OTHER_TENANT}/discovery/v2.0/keys`, `/${TENANT}/discovery/v2.0/keys`].sort(),
    )
  })
})

describe('signature and algorithms', () => {
  it('refuses an unsigned token (alg none)', async () => {
    const error = await rejection(verifierWith().verify(unsignedToken(v2Claims(), key.kid)))
    expect([error.reason, error.message]).toEqual([
      'signature',
      'unsigned tokens (alg none) are not accepted',
    ])
  })

  it('refuses an HS256 token signed with the public key as the HMAC secret', async () => {
    const secret = new TextEncoder().encode(key.publicPem)
    const forged = await new SignJWT(v2Claims())
      .setProtectedHeader({ typ: 'JWT', alg: 'HS256', kid: key.kid })
      .sign(secret)
    const error = await rejection(verifierWith().verify(forged))
    expect([error.reason, error.message]).toEqual(['signature', 'alg HS256 is not accepted'])
  })

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const forged = await mint(stranger, v2Claims(), { kid: key.kid })
    const error = await rejection(verifierWith().verify(forged))
    expect([error.reason, error.message]).toEqual(['signature', 'signature verification failed'])
  })

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await mint(key, v2Claims())).split('.')
    const payload = Buffer.from(JSON.stringify(v2Claims({ roles: ['Orders.Admin'] }))).toString('base64url')
    expect((await rejection(verifierWith().verify(`${header}.${payload}.${signature}`))).reason).toBe(
      'signature',
    )
  })

  it('refuses RS256 when the verifier allows only PS256', async () => {
    const error = await rejection(verifierWith({ algorithms: ['PS256'] }).verify(await mint(key, v2Claims())))
    expect(error.reason).toBe('signature')
  })
})

describe('malformed input', () => {
  it.each([
    ['not a JWT', 'abc'],
    ['five parts (JWE)', 'a.b.c.d.e'],
    ['undecodable parts', 'e30.!!!.sig'],
  ])('refuses %s as malformed', async (_, input) => {
    expect((await rejection(verifierWith().verify(input))).reason).toBe('malformed')
  })

  it('refuses a token longer than 32 KiB before decoding it', async () => {
    const error = await rejection(verifierWith().verify(`${'a'.repeat(32 * 1024)}.b.c`))
    expect([error.reason, error.message]).toEqual(['malformed', 'token is longer than 32768 characters'])
  })

  it('refuses a token without tid as malformed, before fetching any key', async () => {
    const { tid: _tid, ...claims } = v2Claims()
    const error = await rejection(verifierWith().verify(await mint(key, claims)))
    expect([error.reason, error.message]).toEqual(['malformed', 'token has no tid claim'])
    expect(server.total()).toBe(0)
  })

  it('refuses a signed token whose roles claim is not an array of strings', async () => {
    const error = await rejection(verifierWith().verify(await mint(key, v2Claims({ roles: 'Orders.Read' }))))
    expect([error.reason, error.message]).toEqual(['malformed', 'roles claim is not an array of strings'])
  })

  it('refuses a token with an unknown ver as malformed', async () => {
    expect((await rejection(verifierWith().verify(await mint(key, v2Claims({ ver: '3.0' }))))).reason).toBe(
      'malformed',
    )
  })

  it('refuses a missing token with the bare Bearer challenge (no error code)', async () => {
    const error = await rejection(verifierWith({ realm: 'orders' }).verify(undefined))
    expect([error.reason, error.status, error.challenge]).toEqual(['malformed', 401, 'Bearer realm="orders"'])
  })

  it('refuses another authorization scheme', async () => {
    const error = await rejection(verifierWith().verify('Basic dXNlcjpwYXNz'))
    expect([error.reason, error.challenge]).toEqual(['malformed', 'Bearer'])
    expect(error.message).not.toContain('dXNlcjpwYXNz')
  })

  it('never puts the token in an error message, challenge or JSON form', async () => {
    const token = await mint(key, v2Claims({ aud: 'api://wrong' }))
    const error = await rejection(verifierWith().verify(token))
    for (const text of [error.message, error.challenge, JSON.stringify(error)]) {
      expect(text).not.toContain(token.split('.')[2])
      expect(text).not.toContain(token.split('.')[1])
    }
  })
})

describe('options', () => {
  it('throws a ConfigurationError naming a bad per-call requiredRoles', async () => {
    const error = await rejectionOf(verifierWith().verify('x', { requiredRoles: [] as unknown as string[] }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).path).toBe('options.requiredRoles')
  })
})

describe('hints for operators', () => {
  it('tells the operator which issuer was expected, without sending it to the client', async () => {
    const token = await mint(key, v1Claims({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }))
    const error = await rejection(verifierWith().verify(token))
    expect(error.hint).toContain(`expected https://sts.windows.net/${TENANT}/`)
    expect(error.challenge).not.toContain('sts.windows.net')
  })

  it('reminds that v1 and v2 tokens carry different audiences', async () => {
    const error = await rejection(verifierWith({ audience: API_APP_ID }).verify(await mint(key, v1Claims())))
    expect(error.hint).toContain('v1 tokens carry the App ID URI')
  })
})
