import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ClientAssertionCredential } from '../../src/credentials/assertion.js'
import { JWT_BEARER } from '../../src/credentials/assertion-jwt.js'
import type { CredentialContext } from '../../src/credentials/credential.js'
import { FederatedTokenFileCredential } from '../../src/credentials/federated-file.js'
import { CredentialError } from '../../src/errors.js'
import { fixtureClock } from './fixtures.js'

const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'
const ENDPOINT = 'https://login.microsoftonline.com/f6aba1d9-da41-4ea3-8f30-4970725586a8/oauth2/v2.0/token'
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXNlY3JldA'

function context(signal = new AbortController().signal): CredentialContext {
  return { clientId: CLIENT_ID, tokenEndpoint: ENDPOINT, clock: fixtureClock(), signal }
}

async function formOf(
  credential: { authenticate: ClientAssertionCredential['authenticate'] },
  ctx = context(),
) {
  const form = new URLSearchParams()
  await credential.authenticate({ form, headers: {} }, ctx)
  return form
}

async function failure(promise: Promise<unknown>): Promise<CredentialError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CredentialError)
  return error as CredentialError
}

describe('clientAssertion', () => {
  it('sends a static assertion as client_assertion with the jwt-bearer type', async () => {
    const form = await formOf(new ClientAssertionCredential(ASSERTION))
    expect(form.get('client_assertion_type')).toBe(JWT_BEARER)
    expect(form.get('client_assertion')).toBe(ASSERTION)
  })

  it('gives the callback the client id, the token endpoint and the attempt signal', async () => {
    const callback = vi.fn(() => ASSERTION)
    const controller = new AbortController()
    await formOf(new ClientAssertionCredential(callback), context(controller.signal))
    expect(callback).toHaveBeenCalledWith({
      clientId: CLIENT_ID,
      tokenEndpoint: ENDPOINT,
      signal: controller.signal,
    })
  })

  it('awaits an async callback', async () => {
    const form = await formOf(new ClientAssertionCredential(async () => `${ASSERTION}\n`))
    expect(form.get('client_assertion')).toBe(ASSERTION)
  })

  it('turns a throwing callback into a CredentialError with the original as cause', async () => {
    const original = new Error('signer unreachable')
    const error = await failure(
      formOf(
        new ClientAssertionCredential(() => {
          throw original
        }),
      ),
    )
    expect(error.message).toBe('the clientAssertion callback failed.')
    expect(error.cause).toBe(original)
  })

  it('turns a rejected promise into a CredentialError with the original as cause', async () => {
    const original = new TypeError('bad response')
    const error = await failure(formOf(new ClientAssertionCredential(() => Promise.reject(original))))
    expect(error.cause).toBe(original)
  })

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { token: ASSERTION }],
    ['an empty string', ''],
    ['an empty string', '  \n'],
  ])('refuses a callback result that is %s', async (what, value) => {
    const error = await failure(formOf(new ClientAssertionCredential(() => value as unknown as string)))
    expect(error.message).toBe(
      `the clientAssertion callback returned ${what}: it must return the assertion (a JWT string).`,
    )
  })

  it('refuses an empty static assertion at construction', () => {
    expect(() => new ClientAssertionCredential(' ')).toThrow(CredentialError)
  })

  it('prints and serialises without the assertion', () => {
    const credential = new ClientAssertionCredential(ASSERTION)
    const printed = `${inspect(credential, { showHidden: true, depth: 5 })} ${JSON.stringify(credential)}`
    expect(printed).toContain('[redacted]')
    expect(printed).not.toContain(ASSERTION.slice(0, 20))
    expect(printed).not.toContain('c2lnbmF0dXJlLXNlY3JldA')
  })
})

describe('federatedTokenFile', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cc-federated-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('re-reads the file for every token request', async () => {
    const path = join(dir, 'token')
    const credential = new FederatedTokenFileCredential(path)
    writeFileSync(path, 'first.token.jwt\n')
    expect((await formOf(credential)).get('client_assertion')).toBe('first.token.jwt')
    writeFileSync(path, 'second.token.jwt')
    const form = await formOf(credential)
    expect(form.get('client_assertion')).toBe('second.token.jwt')
    expect(form.get('client_assertion_type')).toBe(JWT_BEARER)
  })

  it('refuses a missing file, naming the path', async () => {
    const path = join(dir, 'absent')
    const error = await failure(formOf(new FederatedTokenFileCredential(path)))
    expect(error.message).toBe(`cannot read the federated token file ${path} (ENOENT).`)
    expect(error.hint).toMatch(/AZURE_FEDERATED_TOKEN_FILE/)
  })

  it('refuses an empty file, naming the path', async () => {
    const path = join(dir, 'token')
    writeFileSync(path, ' \n')
    const error = await failure(formOf(new FederatedTokenFileCredential(path)))
    expect(error.message).toBe(`the federated token file ${path} is empty.`)
  })

  it('prints and serialises with its path, never the token', async () => {
    const path = join(dir, 'token')
    writeFileSync(path, ASSERTION)
    const credential = new FederatedTokenFileCredential(path)
    await formOf(credential)
    const printed = `${inspect(credential, { showHidden: true })} ${JSON.stringify(credential)}`
    expect(printed).toContain(path)
    expect(printed).not.toContain('c2lnbmF0dXJlLXNlY3JldA')
  })
})
