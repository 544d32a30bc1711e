import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../src/errors.js'
import { TokenClient, type TokenClientOptions } from '../src/index.js'
import { generateCertificate } from '../src/testing/index.js'

const certificate = await generateCertificate({ commonName: 'worker' })
const credential = {
  certificate: { privateKey: certificate.privateKeyPem, certificate: certificate.certificatePem },
}
const entra = {
  tenant: 'contoso.onmicrosoft.com',
  clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
  credential,
}
const generic = { tokenEndpoint: 'https://idp.example.test/token', clientId: 'svc', credential }

function problem(options: TokenClientOptions): ConfigurationError {
  try {
    new TokenClient(options)
  } catch (error) {
    if (error instanceof ConfigurationError) return error
    throw error
  }
  throw new Error('expected the options to be refused')
}

describe('mutual TLS options', () => {
  it('accept tls_client_auth and self_signed_tls_client_auth with a certificate, and mTLS PoP on Entra', async () => {
    const clients = [
      new TokenClient({ ...generic, authMethod: 'tls_client_auth' }),
      new TokenClient({
        ...generic,
        authMethod: 'self_signed_tls_client_auth',
        mtls: { ca: certificate.certificatePem },
      }),
      new TokenClient({ ...entra, mtlsProofOfPossession: true, mtls: { region: 'westeurope' } }),
    ]
    expect(clients[2]?.describe()).toMatchObject({
      authorityHost: 'https://westeurope.mtlsauth.microsoft.com',
      authMethod: 'tls_client_auth',
      tokenType: 'mtls_pop',
    })
    await Promise.all(clients.map((client) => client.close()))
  })

  it.each([
    [
      'a secret with mutual TLS',
      { ...generic, credential: { clientSecret: 's' }, authMethod: 'tls_client_auth' as const },
      'credential',
      /must be a certificate/,
    ],
    [
      'mTLS PoP with a generic server',
      { ...generic, mtlsProofOfPossession: true },
      'mtlsProofOfPossession',
      /authMethod: 'tls_client_auth'/,
    ],
    [
      'mTLS PoP with private_key_jwt',
      { ...entra, mtlsProofOfPossession: true, authMethod: 'private_key_jwt' as const },
      'authMethod',
      /cannot be 'private_key_jwt'/,
    ],
    [
      'mTLS PoP on v1',
      { ...entra, mtlsProofOfPossession: true, endpointVersion: 'v1' as const },
      'endpointVersion',
      /v2 only/,
    ],
    [
      'mtls without mutual TLS',
      { ...entra, mtls: { region: 'westeurope' } },
      'mtls',
      /applies to mutual TLS only/,
    ],
    [
      'an Entra host choice with tokenEndpoint',
      { ...generic, authMethod: 'tls_client_auth' as const, mtls: { region: 'x' } },
      'mtls',
      /are for Entra/,
    ],
    [
      'a bare private key with Entra',
      { ...entra, credential: { privateKey: certificate.privateKeyPem } },
      'credential.privateKey',
      /Entra authenticates apps by certificate/,
    ],
  ])('refuse %s, naming the option and the fix', (_, options, path, message) => {
    const error = problem(options as TokenClientOptions)
    expect(error.message).toMatch(message)
    expect(error.message).toContain(`${path}:`)
  })

  it('refuse a dispatcher and a shared store with mutual TLS (neither could keep a token with its certificate)', () => {
    const dispatcher = { dispatch: () => true } as unknown as NonNullable<
      TokenClientOptions['http']
    >['dispatcher']
    expect(problem({ ...generic, authMethod: 'tls_client_auth', http: { dispatcher } }).message).toMatch(
      /http\.dispatcher: cannot be combined with mutual TLS/,
    )
    const store = { get: async () => undefined, set: async () => undefined }
    expect(problem({ ...generic, authMethod: 'tls_client_auth', cache: { store } }).message).toMatch(
      /cache\.store: cannot be combined with mutual TLS/,
    )
  })

  it('suggest the option meant for a misspelt one', () => {
    expect(problem({ ...entra, mtlsProofOfPosession: true } as TokenClientOptions).message).toContain(
      'mtlsProofOfPossession',
    )
  })
})
