/**
 * The fault matrix's sender-constrained rows (matrix/bound-rows.ts), end to end against the local
 * authority over real sockets: a DPoP client (`tokenEndpoint`, `dpop: true`) and an Entra mTLS PoP client
 * (over loopback TLS presenting its certificate) meet each row's fault, once with one caller and once
 * with 1,000 concurrent cold callers; both see the same outcome and the authority the same number of
 * token requests (docs/sender-constrained.md §6: a nonce challenge is retried once, never in a loop).
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AccessToken, AuthorityError, TokenClient } from '../../src/index.js'
import {
  EXAMPLE,
  type GeneratedCertificate,
  generateCertificate,
  type LocalAuthority,
  startLocalAuthority,
} from '../../src/testing/index.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'
import { BOUND_FAULT_ROWS, type BoundFaultRow, renderBoundFailureTable } from './matrix/bound-rows.js'
import { settle } from './matrix/harness.js'
import { CROWD } from './matrix/policy.js'

useLoopbackGuard()

const API = EXAMPLE.api.uri
let plain: LocalAuthority
let tls: LocalAuthority
let registered: GeneratedCertificate
let presented: GeneratedCertificate

beforeAll(async () => {
  ;[plain, tls, registered, presented] = await Promise.all([
    startLocalAuthority({ issuer: 'local' }),
    startLocalAuthority({ https: true, issuer: 'local' }),
    generateCertificate({ commonName: 'registered' }),
    generateCertificate({ commonName: 'not registered' }),
  ])
}, 60_000)
afterAll(async () => {
  await Promise.all([plain?.close(), tls?.close()])
})

/** A fresh app for the row (its requests are its own), set up as the row says, and its client. */
function clientFor(row: BoundFaultRow): { client: TokenClient; requests: () => number } {
  const appId = randomUUID()
  const secret = `Bnd8Q~${randomUUID()}`
  const { setup } = row
  const authority = setup.kind === 'dpop' ? plain : tls
  authority.clients.add({ appId, displayName: `matrix-${row.id}`, secrets: [{ value: secret }] })
  authority.clients.grant(appId, API, ['ReadOnly'])
  const requests = () =>
    authority.requests.all().filter((r) => r.route === 'token' && r.clientId === appId).length
  if (setup.kind === 'mtlsPopUnregistered') {
    authority.clients.addCertificate(appId, registered.certificatePem)
    const credential = {
      certificate: { privateKey: presented.privateKeyPem, certificate: presented.certificatePem },
    }
    const client = new TokenClient({
      tenant: EXAMPLE.tenantId,
      clientId: appId,
      authorityHost: authority.url,
      credential,
      mtlsProofOfPossession: true,
      mtls: { ca: [authority.caPem as string] },
    })
    return { client, requests }
  }
  authority.clients.requireDpop(appId, { nonce: setup.nonce })
  if (setup.fault !== undefined) {
    authority.faults.add({ ...setup.fault, route: 'token', clientId: appId, times: Number.POSITIVE_INFINITY })
  }
  const behind = setup.clockBehindMs ?? 0
  const client = new TokenClient({
    tokenEndpoint: authority.tokenEndpoint(EXAMPLE.tenantId),
    clientId: appId,
    credential: { clientSecret: secret },
    dpop: true,
    ...(behind === 0 ? {} : { clock: { now: () => Date.now() - behind } }),
  })
  return { client, requests }
}

/** What a row's client asks for: a generic client needs the scope, an Entra client takes the resource. */
const requestedFor = (row: BoundFaultRow) => (row.setup.kind === 'dpop' ? `${API}/.default` : API)

function expectOutcome(row: BoundFaultRow, result: { ok: boolean; value?: unknown; error?: unknown }) {
  const { outcome } = row
  if (outcome.kind === 'token') {
    expect(result.ok, String(result.error)).toBe(true)
    expect(result.value).toBeInstanceOf(AccessToken)
    expect((result.value as AccessToken).tokenType).toBe(outcome.tokenType)
    return
  }
  expect(result.ok).toBe(false)
  expect(result.error).toBeInstanceOf(AuthorityError)
  const error = result.error as AuthorityError
  expect({ code: error.code, status: error.status, error: error.error }, error.message).toEqual({
    code: outcome.code,
    status: outcome.status,
    error: outcome.error,
  })
  expect({ code: error.code, status: error.status, error: error.error }).toEqual({
    code: outcome.code,
    status: outcome.status,
    error: outcome.error,
  })
  expect(error.aadstsCodes).toEqual(outcome.aadstsCodes)
}

describe('fault matrix: sender-constrained tokens', () => {
  for (const row of BOUND_FAULT_ROWS) {
    it(`${row.label}: one caller, ${row.requests} token request(s)`, async () => {
      const { client, requests } = clientFor(row)
      try {
        expectOutcome(row, await settle(client.getToken(requestedFor(row))))
        expect(requests()).toBe(row.requests)
        if (row.outcome.kind === 'error') expect(client.cachedTokens).toBe(0)
      } finally {
        await client.close()
      }
    })

    it(`${row.label}: ${CROWD} cold callers share ${row.requests} token request(s)`, async () => {
      const { client, requests } = clientFor(row)
      try {
        const results = await Promise.all(
          Array.from({ length: CROWD }, () => settle(client.getToken(requestedFor(row)))),
        )
        const [first] = results
        expectOutcome(row, first as (typeof results)[number])
        const shared = first?.ok ? first.value : first?.error
        expect(results.every((r) => (r.ok ? r.value : r.error) === shared)).toBe(true)
        expect(requests()).toBe(row.requests)
      } finally {
        await client.close()
      }
    })
  }

  it('the README shows the table these rows render', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toContain(renderBoundFailureTable())
  })
})
