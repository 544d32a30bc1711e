/**
 * Rotation without restarts, end to end against the local authority (issue 15 item 7): the app's secret
 * or certificate is replaced at the authority while the client runs; the client's next token request is
 * refused (AADSTS7000215, AADSTS700027), reads its credential again and is sent once more.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../../src/index.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { fixtureText } from '../credentials/fixtures.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const API = EXAMPLE.api.uri
const { admin } = EXAMPLE.clients
let authority: LocalAuthority
let dir: string

beforeAll(async () => {
  authority = await startLocalAuthority()
  dir = mkdtempSync(join(tmpdir(), 'rotation-'))
})
afterAll(async () => {
  await authority.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => authority.requests.clear())

const tokenRequests = () => authority.requests.all().filter((r) => r.route === 'token').length
const base = { tenant: EXAMPLE.tenantId, clientId: admin.appId }

describe('a rotated secret', () => {
  it('is read again from its provider after AADSTS7000215, and the request sent once more', async () => {
    let vault: string = admin.secret
    let held: string | undefined
    const reads: boolean[] = []
    const client = new TokenClient({
      ...base,
      authorityHost: authority.url,
      // a provider that keeps what it read until told to read again, as one backed by a vault would
      credential: {
        clientSecret: async ({ reload }) => {
          reads.push(reload)
          if (reload || held === undefined) held = vault
          return held
        },
      },
    })
    await client.getToken(API)
    expect(tokenRequests()).toBe(1)

    const fresh = authority.clients.addSecret(admin.appId)
    const old = authority.clients.get(admin.appId)?.secrets.find((s) => s.value === admin.secret)
    authority.clients.removeSecret(admin.appId, old?.id ?? '')
    vault = fresh.value

    const token = await client.getToken(API, { forceRefresh: true })
    expect(token.claims?.roles).toEqual(['Admin'])
    expect(tokenRequests()).toBe(3) // the refused one, then the one with the secret read again
    expect(reads).toEqual([false, false, true])
  })
})

describe('a rotated certificate file', () => {
  it('is looked at again at once after AADSTS700027, and the request sent once more', async () => {
    const path = join(dir, 'client.pem')
    const pair = (name: string) => fixtureText(`${name}.key.pem`) + fixtureText(`${name}.cert.pem`)
    writeFileSync(path, pair('rsa'))
    authority.clients.addCertificate(admin.appId, fixtureText('rsa.cert.pem'))
    const client = new TokenClient({
      ...base,
      authorityHost: authority.url,
      credential: { certificatePath: path },
    })
    await client.getToken(API)
    expect(tokenRequests()).toBe(1)

    authority.clients.addCertificate(admin.appId, fixtureText('other.cert.pem'))
    authority.clients.removeCertificate(admin.appId, fixtureText('rsa.cert.pem'))
    writeFileSync(path, pair('other'))

    // the file is re-checked every 30 s; the refusal makes the client look at once
    const token = await client.getToken(API, { forceRefresh: true })
    expect(token.claims?.roles).toEqual(['Admin'])
    expect(tokenRequests()).toBe(3)
  })

  it('is refused twice, no more, when the new certificate is not registered', async () => {
    const path = join(dir, 'unregistered.pem')
    writeFileSync(path, fixtureText('other.key.pem') + fixtureText('other.cert.pem'))
    authority.clients.removeCertificate(admin.appId, fixtureText('other.cert.pem'))
    const client = new TokenClient({
      ...base,
      authorityHost: authority.url,
      credential: { certificatePath: path },
    })
    await expect(client.getToken(API)).rejects.toMatchObject({ aadstsCodes: [700027] })
    expect(tokenRequests()).toBe(2)
  })
})
