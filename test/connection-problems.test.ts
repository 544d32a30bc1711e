import { describe, expect, it } from 'vitest'
import { connectionProblem } from '../src/connection-problems.js'

const coded = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(code), { code, ...extra })
const LOCAL = new URL('https://127.0.0.1:8400/tenant/oauth2/v2.0/token')
const REMOTE = new URL('https://login.microsoftonline.com/tenant/oauth2/v2.0/token')

describe('connectionProblem', () => {
  it('reads certificate refusals as TLS failures with the trust hint, in the error, its causes or an AggregateError', () => {
    for (const error of [
      coded('DEPTH_ZERO_SELF_SIGNED_CERT'),
      new Error('fetch failed', { cause: coded('SELF_SIGNED_CERT_IN_CHAIN') }),
      new AggregateError([coded('ECONNRESET'), coded('ERR_TLS_CERT_ALTNAME_INVALID')]),
    ]) {
      const problem = connectionProblem(error, REMOTE)
      expect(problem).toMatchObject({
        reason: 'tls',
        hint: expect.stringMatching(/caPem.*NODE_EXTRA_CA_CERTS/),
      })
      expect(problem?.reason === 'tls' && problem.message).toMatch(/login\.microsoftonline\.com/)
    }
  })

  it('reads a non-TLS answer to a TLS hello as https spoken to plain http', () => {
    for (const code of [
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'ERR_SSL_PACKET_LENGTH_TOO_LONG',
      'ERR_SSL_HTTP_REQUEST',
    ]) {
      expect(connectionProblem(coded(code), LOCAL)).toMatchObject({
        reason: 'tls',
        message: expect.stringMatching(/127\.0\.0\.1:8400 does not speak TLS/),
        hint: expect.stringMatching(/http:\/\//),
      })
    }
  })

  it('reads any other TLS failure as one, with a generic hint', () => {
    expect(connectionProblem(coded('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), REMOTE)).toMatchObject({
      reason: 'tls',
      hint: expect.stringMatching(/middlebox/),
    })
  })

  it('asks for the local authority when a loopback host refuses the connection, and only then', () => {
    expect(connectionProblem(coded('ECONNREFUSED'), LOCAL)).toEqual({
      reason: 'network',
      hint: expect.stringMatching(/127\.0\.0\.1:8400: is the local authority running .*--port 8400/),
    })
    expect(connectionProblem(coded('ECONNREFUSED'), REMOTE)).toBeUndefined()
    expect(connectionProblem(coded('ECONNRESET'), LOCAL)).toBeUndefined()
    expect(connectionProblem('not an error', LOCAL)).toBeUndefined()
  })
})
