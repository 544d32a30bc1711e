/**
 * The leak suite through mutual TLS (Entra mTLS PoP against the local authority, https): the client
 * certificate's private key and the bound tokens appear in no rendering of the client, its tokens, its
 * connections, its logs, its diagnostics messages or its errors (a certificate the authority refuses, a
 * bound token with no connection to travel over).
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAuthorizedFetch } from '../../src/attach/fetch.js'
import { TokenClient } from '../../src/client.js'
import {
  EXAMPLE,
  type GeneratedCertificate,
  generateCertificate,
  type LocalAuthority,
  startLocalAuthority,
} from '../../src/testing/index.js'
import { errorRenderings, renderings } from './exposure.js'
import { observe } from './observe.js'
import { baseSecrets, expectNoLeak } from './secrets.js'

let authority: LocalAuthority
let registered: GeneratedCertificate
let refused: GeneratedCertificate

beforeAll(async () => {
  authority = await startLocalAuthority({ https: true })
  ;[registered, refused] = await Promise.all([
    generateCertificate({ commonName: 'leak-suite mtls' }),
    generateCertificate({ commonName: 'leak-suite unregistered' }),
  ])
  authority.clients.addCertificate(EXAMPLE.clients.admin.appId, registered.certificatePem)
})
afterAll(() => authority?.close())

function clientWith(certificate: GeneratedCertificate, logger: ReturnType<typeof observe>['logger']) {
  return new TokenClient({
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients.admin.appId,
    authorityHost: authority.url,
    credential: {
      certificate: { privateKey: certificate.privateKeyPem, certificate: certificate.certificatePem },
    },
    mtlsProofOfPossession: true,
    mtls: { ca: authority.caPem as string },
    http: { retries: 0 },
    logger,
  })
}

it('no private key, no token in any rendering, log line, diagnostics message or error', async () => {
  const observer = observe()
  const secrets = baseSecrets()
  for (const certificate of [registered, refused]) {
    for (const line of certificate.privateKeyPem.split('\n').filter((l) => l.length > 40))
      secrets.add('mTLS private key', line)
  }
  const client = clientWith(registered, observer.logger)
  const token = await client.getToken(EXAMPLE.api.uri)
  secrets.addToken('mtls_pop token', token.accessToken)
  const failing = clientWith(refused, observer.logger)
  const refusal = await failing.getToken(EXAMPLE.api.uri).catch((error: unknown) => error)
  const bare = createAuthorizedFetch(
    { getToken: async () => token },
    { resource: EXAMPLE.api.uri, origins: ['https://127.0.0.1:1'] },
  )
  const unsent = await bare('https://127.0.0.1:1/orders').catch((error: unknown) => error)
  expect(refusal).toBeInstanceOf(Error)
  expect(unsent).toBeInstanceOf(Error)
  observer.stop()
  expectNoLeak(secrets, {
    client: [...renderings(client, true), ...renderings(client.describe())],
    token: renderings(token, true),
    connection: renderings(client.certificateDispatcher(token)),
    logs: observer.logs,
    diagnostics: observer.diagnostics,
    errors: [...errorRenderings(refusal), ...errorRenderings(unsent)],
  })
  await Promise.all([client.close(), failing.close()])
})
