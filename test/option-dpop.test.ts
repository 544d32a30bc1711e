import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigurationError, TokenClient } from '../src/index.js'
import { parseTokenClientOptions } from '../src/options.js'

const generic = {
  tokenEndpoint: 'https://idp.example.test/oauth2/token',
  clientId: 'worker',
  credential: { clientSecret: 's' },
}
const entra = {
  tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8',
  clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
  credential: { clientSecret: 's' },
}

function problem(options: unknown): string {
  try {
    parseTokenClientOptions(options)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return (error as ConfigurationError).message
  }
  throw new Error('expected the options to be refused')
}

describe('the dpop option', () => {
  it('takes true, an algorithm, or a key on a generic client', () => {
    for (const dpop of [
      true,
      {},
      { algorithm: 'EdDSA' },
      { key: generateKeyPairSync('ed25519').privateKey },
    ]) {
      expect(parseTokenClientOptions({ ...generic, dpop }).dpop).toEqual(dpop)
    }
  })

  it('is refused on an Entra client and with a managed identity, saying why', () => {
    expect(problem({ ...entra, dpop: true })).toMatch(/dpop: is for a generic OAuth server \(tokenEndpoint\)/)
    expect(problem({ managedIdentity: {}, dpop: true })).toMatch(/dpop: does not apply to a managed identity/)
  })

  it('names a bad algorithm or key, and never echoes a key', () => {
    expect(problem({ ...generic, dpop: { algorithm: 'HS256' } })).toMatch(/dpop\.algorithm/)
    expect(problem({ ...generic, dpop: { key: 'BEGIN PRIVATE KEY abc' } })).toMatch(/dpop\.key/)
    expect(problem({ ...generic, dpop: { key: 'BEGIN PRIVATE KEY abc' } })).not.toContain('abc')
    expect(problem({ ...generic, dpop: false })).toMatch(/dpop/)
  })

  it('suggests dpop for its usual misspellings and neighbours', () => {
    expect(problem({ ...generic, useDpop: true })).toMatch(/dpop/)
    expect(problem({ ...generic, dpopKey: {} })).toMatch(/inside dpop/)
    expect(problem({ ...generic, dPop: true })).toMatch(/dpop/)
  })

  it('refuses a key that does not fit the algorithm when the client is built, naming dpop.algorithm', () => {
    const key = generateKeyPairSync('ed25519').privateKey
    expect(() => new TokenClient({ ...generic, dpop: { key, algorithm: 'ES256' } })).toThrow(
      /dpop\.algorithm/,
    )
  })

  it("describes the client's DPoP key by algorithm and thumbprint only", () => {
    const client = new TokenClient({ ...generic, dpop: true })
    expect(client.describe().dpop).toEqual({
      algorithm: 'ES256',
      thumbprint: expect.stringMatching(/^[\w-]{43}$/),
    })
  })
})
