/**
 * Rotation without restarts (issue 15 item 7): a secret or certificate given by a provider is read when
 * a token must be fetched (never on a cache hit), and when Entra refuses the credential (AADSTS 700027,
 * 7000214, 7000222, 7000215, 1000502) it is read again (the provider called with `reload: true`, a
 * certificate file looked at at once) and the request sent once more — once only.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeProtectedHeader } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { CREDENTIAL_REJECTED_CODES } from '../src/credential-rejection.js'
import type { CredentialProviderContext } from '../src/credentials/provider.js'
import { AuthorityError, CredentialError } from '../src/errors.js'
import { fixtureClock, fixturePath, fixtureText, thumbprints } from './credentials/fixtures.js'
import { useNetwork } from './helpers/network.js'
import { CLIENT_ID, entraError, scriptedEndpoint, TENANT, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()
const OLD_SECRET = 'Xq8~Old.Secret_Value-not-real-0123456789'
const NEW_SECRET = 'Xq8~New.Secret_Value-not-real-9876543210'
const refused = (code: number) => entraError(401, 'invalid_client', code, 'The credential was refused.')

function endpoint(...answers: Response[]) {
  const scripted = scriptedEndpoint(V2_URL, answers)
  network.use(scripted.handler)
  return scripted
}

describe('credential: { clientSecret: provider }', () => {
  it('is read on a cache miss, not on a hit', async () => {
    const tokens = endpoint(v2Token('at-1'))
    const provider = vi.fn(async (_context: CredentialProviderContext) => OLD_SECRET)
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { clientSecret: provider },
    })
    await client.getToken('api://myapis/mywebapi')
    await client.getToken('api://myapis/mywebapi')
    expect(provider).toHaveBeenCalledTimes(1)
    expect(provider.mock.calls[0]?.[0]).toMatchObject({ reload: false })
    expect(tokens.seen[0]?.form.get('client_secret')).toBe(OLD_SECRET)
    await client.getToken('https://graph.microsoft.com')
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it.each(CREDENTIAL_REJECTED_CODES.map((code) => [code]))(
    'on AADSTS%i, is read again and the request sent once more',
    async (code) => {
      const tokens = endpoint(refused(code), v2Token('at-rotated'))
      let secret = OLD_SECRET
      const provider = vi.fn(async (_context: CredentialProviderContext) => {
        const value = secret
        secret = NEW_SECRET // rotated once the old one was read
        return value
      })
      const client = new TokenClient({
        tenant: TENANT,
        clientId: CLIENT_ID,
        credential: { clientSecret: provider },
      })
      const token = await client.getToken('api://myapis/mywebapi')
      expect(token.accessToken).toBe('at-rotated')
      expect(tokens.seen.map((seen) => seen.form.get('client_secret'))).toEqual([OLD_SECRET, NEW_SECRET])
      expect(provider.mock.calls.map(([context]) => context.reload)).toEqual([false, true])
    },
  )

  it('retries once only: a second refusal reaches the caller', async () => {
    const tokens = endpoint(refused(7000215))
    const provider = vi.fn(async () => OLD_SECRET)
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { clientSecret: provider },
    })
    const error = await client.getToken('api://myapis/mywebapi').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthorityError)
    expect((error as AuthorityError).aadstsCodes).toEqual([7000215])
    expect(tokens.count).toBe(2)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('does not retry another refusal (AADSTS700016: unknown app)', async () => {
    const tokens = endpoint(entraError(400, 'unauthorized_client', 700016, 'Application not found.'))
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { clientSecret: async () => OLD_SECRET },
    })
    await expect(client.getToken('api://myapis/mywebapi')).rejects.toBeInstanceOf(AuthorityError)
    expect(tokens.count).toBe(1)
  })

  it('reloads a plain secret too, resending the same value once (it may have been a transient refusal)', async () => {
    const tokens = endpoint(refused(7000222), v2Token('at-2'))
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { clientSecret: OLD_SECRET },
    })
    expect((await client.getToken('api://myapis/mywebapi')).accessToken).toBe('at-2')
    expect(tokens.count).toBe(2)
  })

  it('turns a throwing provider into a CredentialError naming credential.clientSecret, sending nothing', async () => {
    const tokens = endpoint(v2Token('never'))
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: {
        clientSecret: async () => {
          throw new Error('vault unreachable')
        },
      },
    })
    const error = await client.getToken('api://myapis/mywebapi').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as CredentialError).message).toContain('credential.clientSecret')
    expect((error as CredentialError).hint).toContain('credential.clientSecret')
    expect(tokens.count).toBe(0)
  })

  it.each([
    ['an empty string', ''],
    ['a number', 42],
    ['a value with whitespace around it', ` ${NEW_SECRET}\n`],
  ])('refuses a provider returning %s, never echoing it', async (_name, value) => {
    endpoint(v2Token('never'))
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      credential: { clientSecret: (async () => value) as () => Promise<string> },
    })
    const error = await client.getToken('api://myapis/mywebapi').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as Error).message).toContain('credential.clientSecret')
    if (typeof value === 'string' && value.trim() !== '')
      expect((error as Error).message).not.toContain(value.trim())
  })
})

describe('credential: { certificate: provider }', () => {
  const rsa = { privateKey: fixtureText('rsa.key.pem'), certificate: fixtureText('rsa.cert.pem') }
  const other = { privateKey: fixtureText('other.key.pem'), certificate: fixtureText('other.cert.pem') }

  it('is read on a cache miss, and on AADSTS700027 read again and the new key used', async () => {
    const tokens = endpoint(refused(700027), v2Token('at-new-key'))
    let current = rsa
    const provider = vi.fn(async () => {
      const value = current
      current = other
      return value
    })
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      clock: fixtureClock(),
      credential: { certificate: provider },
    })
    expect((await client.getToken('api://myapis/mywebapi')).accessToken).toBe('at-new-key')
    await client.getToken('api://myapis/mywebapi')
    expect(provider).toHaveBeenCalledTimes(2)
    const x5t = tokens.seen.map(
      (seen) => decodeProtectedHeader(seen.form.get('client_assertion') ?? '')['x5t#S256'],
    )
    expect(x5t).toEqual([thumbprints('rsa').x5tS256, thumbprints('other').x5tS256])
  })

  it('turns a provider returning no key into a CredentialError naming credential.certificate', async () => {
    const tokens = endpoint(v2Token('never'))
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      clock: fixtureClock(),
      credential: { certificate: (async () => ({ certificate: rsa.certificate })) as never },
    })
    const error = await client.getToken('api://myapis/mywebapi').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as Error).message).toContain('credential.certificate')
    expect(tokens.count).toBe(0)
  })
})

describe('credential: { certificatePath } rotated', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cc-rotation-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('re-reads the file at once on AADSTS700027 (not waiting for the 30 s recheck) and retries once', async () => {
    const path = join(dir, 'client.pem')
    copyFileSync(fixturePath('rsa.combined.pem'), path)
    const tokens = endpoint(refused(700027), v2Token('at-from-new-file'))
    const client = new TokenClient({
      tenant: TENANT,
      clientId: CLIENT_ID,
      clock: fixtureClock(),
      credential: { certificatePath: path },
    })
    tokens.answer(v2Token('at-old'))
    await client.getToken('api://first')
    copyFileSync(fixturePath('other.combined.pem'), path) // rotated, within the 30 s recheck
    tokens.answer(refused(700027), v2Token('at-from-new-file'))
    expect((await client.getToken('api://second')).accessToken).toBe('at-from-new-file')
    const x5t = tokens.seen.map(
      (seen) => decodeProtectedHeader(seen.form.get('client_assertion') ?? '')['x5t#S256'],
    )
    expect(x5t).toEqual([
      thumbprints('rsa').x5tS256,
      thumbprints('rsa').x5tS256,
      thumbprints('other').x5tS256,
    ])
  })
})
