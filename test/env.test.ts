import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EnvironmentCredential, WorkloadIdentityCredential } from '@azure/identity'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import { type Environment, optionsFromEnvironment } from '../src/env.js'
import { ConfigurationError } from '../src/errors.js'
import { useNetwork } from './helpers/network.js'
import { CLIENT_ID, fakeJwt, scriptedEndpoint, TENANT, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()
const SECRET = 'Xq8~Env.Secret_Value-not-real-0123456789'
const PASSWORD = 'env-pfx-password-not-real'
const ids = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT_ID }
const CERT = { AZURE_CLIENT_CERTIFICATE_PATH: '/etc/app/client.pem' }
const FED = { AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' }

function configurationError(attempt: () => unknown): ConfigurationError {
  try {
    attempt()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected a ConfigurationError')
}

/** Which credential @azure/identity picks for `env` (EnvironmentCredential, then WorkloadIdentityCredential). */
function azureIdentityChoice(env: Environment): string | undefined {
  vi.unstubAllEnvs()
  for (const name of Object.keys(process.env)) if (name.startsWith('AZURE_')) vi.stubEnv(name, undefined)
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
  try {
    const chosen = (new EnvironmentCredential() as unknown as { _credential?: object })._credential
    if (chosen !== undefined) return chosen.constructor.name
    try {
      new WorkloadIdentityCredential()
      return 'WorkloadIdentityCredential'
    } catch {
      return undefined
    }
  } finally {
    vi.unstubAllEnvs()
  }
}

const AZURE_NAMES: Record<string, string> = {
  clientSecret: 'ClientSecretCredential',
  certificatePath: 'ClientCertificateCredential',
  federatedTokenFile: 'WorkloadIdentityCredential',
}

describe('optionsFromEnvironment precedence', () => {
  const table: Array<[string, Environment, Record<string, unknown>]> = [
    ['secret alone', { ...ids, AZURE_CLIENT_SECRET: SECRET }, { clientSecret: SECRET }],
    [
      'secret over certificate and federated file',
      { ...ids, AZURE_CLIENT_SECRET: SECRET, ...CERT, ...FED },
      { clientSecret: SECRET },
    ],
    [
      'certificate over federated file',
      { ...ids, ...CERT, ...FED },
      { certificatePath: CERT.AZURE_CLIENT_CERTIFICATE_PATH },
    ],
    [
      'certificate when the secret is empty',
      { ...ids, AZURE_CLIENT_SECRET: '', ...CERT },
      { certificatePath: CERT.AZURE_CLIENT_CERTIFICATE_PATH },
    ],
    [
      'certificate with password and chain "true"',
      {
        ...ids,
        ...CERT,
        AZURE_CLIENT_CERTIFICATE_PASSWORD: PASSWORD,
        AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: 'TRUE',
      },
      {
        certificatePath: CERT.AZURE_CLIENT_CERTIFICATE_PATH,
        passphrase: PASSWORD,
        sendCertificateChain: true,
      },
    ],
    [
      'certificate with chain "1"',
      { ...ids, ...CERT, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: '1' },
      { certificatePath: CERT.AZURE_CLIENT_CERTIFICATE_PATH, sendCertificateChain: true },
    ],
    [
      'certificate with chain "yes" (not a yes to @azure/identity either)',
      { ...ids, ...CERT, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: 'yes' },
      { certificatePath: CERT.AZURE_CLIENT_CERTIFICATE_PATH },
    ],
    ['federated file alone', { ...ids, ...FED }, { federatedTokenFile: FED.AZURE_FEDERATED_TOKEN_FILE }],
  ]

  it.each(table)('%s', (_name, env, credential) => {
    const options = optionsFromEnvironment(env)
    expect(options).toEqual({ tenant: TENANT, clientId: CLIENT_ID, credential })
  })

  it.each(table)('picks what @azure/identity picks: %s', (_name, env) => {
    const kind = Object.keys(optionsFromEnvironment(env).credential ?? {})[0] ?? ''
    expect(AZURE_NAMES[kind]).toBe(azureIdentityChoice(env))
  })
})

describe('optionsFromEnvironment errors', () => {
  it('lists every missing variable by name', () => {
    const error = configurationError(() => optionsFromEnvironment({}))
    expect(error.path).toBe('environment')
    expect(error.message).toBe(
      'environment: missing environment variable(s): AZURE_TENANT_ID; AZURE_CLIENT_ID; one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE.',
    )
  })

  it('names what is missing and never a value that is set', () => {
    const error = configurationError(() =>
      optionsFromEnvironment({
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: SECRET,
        AZURE_CLIENT_CERTIFICATE_PASSWORD: PASSWORD,
      }),
    )
    expect(error.message).toBe('environment: missing environment variable(s): AZURE_TENANT_ID.')
    const printed = JSON.stringify(error) + String(error.stack) + String(error.hint)
    expect(printed).not.toContain(SECRET)
    expect(printed).not.toContain(PASSWORD)
  })

  it('names the variable whose value is not valid', () => {
    expect(
      configurationError(() => optionsFromEnvironment({ ...ids, AZURE_TENANT_ID: 'common', ...FED })).path,
    ).toBe('AZURE_TENANT_ID')
    expect(
      configurationError(() => optionsFromEnvironment({ ...ids, AZURE_CLIENT_ID: 'my-app', ...FED })).path,
    ).toBe('AZURE_CLIENT_ID')
    const host = configurationError(() =>
      optionsFromEnvironment({ ...ids, ...FED, AZURE_AUTHORITY_HOST: 'http://login.example.com' }),
    )
    expect(host.path).toBe('AZURE_AUTHORITY_HOST')
    expect(host.message).toMatch(/^AZURE_AUTHORITY_HOST: must use https.*\(option authorityHost\)$/)
  })
})

describe('optionsFromEnvironment authority host and overrides', () => {
  it('reads AZURE_AUTHORITY_HOST as authorityHost, adding https:// to a bare host', () => {
    expect(
      optionsFromEnvironment({ ...ids, ...FED, AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' })
        .authorityHost,
    ).toBe('https://login.microsoftonline.us/')
    expect(
      optionsFromEnvironment({ ...ids, ...FED, AZURE_AUTHORITY_HOST: 'login.microsoftonline.us' })
        .authorityHost,
    ).toBe('https://login.microsoftonline.us')
  })

  it('lets overrides win, and ignores AZURE_AUTHORITY_HOST when a cloud is given', () => {
    const logger = { warn: () => {} }
    const options = optionsFromEnvironment(
      { ...ids, ...FED, AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' },
      { tenant: 'contoso.onmicrosoft.com', cloud: 'AzureChina', logger },
    )
    expect(options).toEqual({
      tenant: 'contoso.onmicrosoft.com',
      clientId: CLIENT_ID,
      cloud: 'AzureChina',
      logger,
      credential: { federatedTokenFile: FED.AZURE_FEDERATED_TOKEN_FILE },
    })
  })

  it('needs no credential variable when the credential is overridden, and no tenant with tokenEndpoint', () => {
    const options = optionsFromEnvironment(
      {
        AZURE_CLIENT_ID: 'orders-service',
        AZURE_TENANT_ID: TENANT,
        AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
      },
      { tokenEndpoint: 'https://idp.example.com/token', credential: { clientAssertion: 'a.b.c' } },
    )
    expect(options).toEqual({
      tokenEndpoint: 'https://idp.example.com/token',
      clientId: 'orders-service',
      credential: { clientAssertion: 'a.b.c' },
    })
  })

  it('reads process.env by default', () => {
    vi.stubEnv('AZURE_TENANT_ID', TENANT)
    vi.stubEnv('AZURE_CLIENT_ID', CLIENT_ID)
    vi.stubEnv('AZURE_CLIENT_SECRET', SECRET)
    try {
      expect(optionsFromEnvironment().credential).toEqual({ clientSecret: SECRET })
    } finally {
      vi.unstubAllEnvs()
    }
  })
})

describe('a TokenClient from the environment (AKS workload identity)', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('sends the federated token to the authority host AKS names', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-env-'))
    const tokenFile = join(dir, 'azure-identity-token')
    writeFileSync(tokenFile, 'kube.service-account.token')
    const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({}))])
    network.use(endpoint.handler)
    const env = {
      ...ids,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
    }
    const client = new TokenClient(optionsFromEnvironment(env))
    await client.getToken('api://myapis/mywebapi')
    expect(endpoint.seen[0]?.form.get('client_assertion')).toBe('kube.service-account.token')
  })
})
