/**
 * Mutual TLS presents one certificate per connection: a certificate provider (a function) cannot be
 * that certificate, so createCredential refuses it, naming the field (found when providers and mTLS met).
 */
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.js'
import { createCredential } from '../../src/credentials/create.js'
import { ConfigurationError } from '../../src/errors.js'

const settings = { logger: undefined, clock: systemClock } as const

describe('createCredential with mutual TLS', () => {
  it.each(['tls_client_auth', 'self_signed_tls_client_auth'] as const)(
    'refuses a certificate provider with %s, naming credential.certificate',
    (authMethod) => {
      const provider = async () => ({ privateKey: 'unused' })
      const create = () => createCredential({ certificate: provider }, { ...settings, authMethod })
      expect(create).toThrow(ConfigurationError)
      expect(create).toThrow(expect.objectContaining({ path: 'credential.certificate' }))
    },
  )

  it('refuses it with mtlsProofOfPossession too', () => {
    const create = () =>
      createCredential(
        { certificate: async () => ({ privateKey: 'unused' }) },
        { ...settings, authMethod: undefined, mtlsProofOfPossession: true },
      )
    expect(create).toThrow(ConfigurationError)
  })
})
