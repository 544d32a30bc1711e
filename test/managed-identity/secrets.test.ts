/**
 * Nothing that holds a platform secret, an Arc key or a token prints or serialises it.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AppServiceSource } from '../../src/managed-identity/app-service.js'
import { AzureMlSource } from '../../src/managed-identity/azure-ml.js'
import { SYSTEM_ASSIGNED } from '../../src/managed-identity/identity.js'
import { ServiceFabricSource } from '../../src/managed-identity/service-fabric.js'
import { IdentityRequest } from '../../src/managed-identity/source.js'
import { ManagedIdentityToken } from '../../src/managed-identity/token.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const SECRET = 'platform-secret-3c4d5e6f'
const PARAMETERS = {
  resource: 'https://vault.azure.net',
  identity: SYSTEM_ASSIGNED,
  clientCapabilities: [],
  revokedTokenSha256: undefined,
}

const shown = (value: unknown) => `${inspect(value, { depth: 10 })} ${JSON.stringify(value)} ${String(value)}`

describe('managed identity objects never show a secret', () => {
  it.each([
    ['App Service', new AppServiceSource('http://127.0.0.1:1/msi/token', SECRET)],
    ['Azure ML', new AzureMlSource('http://127.0.0.1:1/msi/token', SECRET, undefined)],
    ['Service Fabric', new ServiceFabricSource('https://127.0.0.1:1/t', SECRET, 'AB'.repeat(20))],
  ])('%s source, nor the request it builds', (_name, source) => {
    expect(shown(source)).not.toContain(SECRET)
    const request = source.buildRequest(PARAMETERS)
    expect(Object.values(request.headers)).toContain(SECRET)
    expect(shown(request)).not.toContain(SECRET)
    expect(shown(request)).toContain(request.url)
  })

  it('an Arc answer carrying the key file contents', () => {
    const request = new IdentityRequest('GET', 'http://127.0.0.1:40342/x', {}).withHeaders({
      authorization: `Basic ${SECRET}`,
    })
    expect(shown(request)).not.toContain(SECRET)
  })

  it('a token', () => {
    const token = new ManagedIdentityToken({
      accessToken: SECRET,
      requestedAt: 1,
      expiresAt: 2,
      refreshAt: 2,
      resource: 'https://vault.azure.net',
      clientId: undefined,
      source: 'imds',
    })
    expect(shown(token)).not.toContain(SECRET)
    expect(shown(token)).toContain('[redacted]')
  })
})
