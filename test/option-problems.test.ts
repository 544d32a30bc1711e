import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../src/errors.js'
import { parseGetTokenOptions, parseTokenClientOptions, parseTokenRequest } from '../src/options.js'
import { CLIENT_ID, SECRET, TENANT } from './helpers/token-endpoint.js'

const valid = { tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET } }

function refusal(parse: () => unknown): ConfigurationError {
  try {
    parse()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected the options to be refused')
}

const problemWith = (input: unknown) => refusal(() => parseTokenClientOptions(input))

describe('an unknown option key', () => {
  it.each([
    ['clientID', { tenant: TENANT, clientID: CLIENT_ID, credential: { clientSecret: SECRET } }, 'clientId'],
    [
      'credentials',
      { tenant: TENANT, clientId: CLIENT_ID, credentials: { clientSecret: SECRET } },
      'credential',
    ],
    ['tenantId', { tenantId: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET } }, 'tenant'],
    ['tennant', { tennant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET } }, 'tenant'],
    ['client_id', { tenant: TENANT, client_id: CLIENT_ID, credential: { clientSecret: SECRET } }, 'clientId'],
    ['authorityhost', { ...valid, authorityhost: 'https://login.microsoftonline.com' }, 'authorityHost'],
    [
      'tokenUrl',
      { tokenUrl: 'https://idp.example.com/token', clientId: 'svc', credential: { clientSecret: 's' } },
      'tokenEndpoint',
    ],
    ['credential.secret', { ...valid, credential: { secret: SECRET } }, 'clientSecret'],
    ['credential.clientsecret', { ...valid, credential: { clientsecret: SECRET } }, 'clientSecret'],
    ['credential.client_secret', { ...valid, credential: { client_secret: SECRET } }, 'clientSecret'],
    [
      'credential.certificatPath',
      { ...valid, credential: { certificatPath: '/etc/app/client.pem' } },
      'certificatePath',
    ],
    [
      'credential.password',
      { ...valid, credential: { certificatePath: '/etc/c.pem', password: 'x' } },
      'passphrase',
    ],
    ['credential.certificate.key', { ...valid, credential: { certificate: { key: 'pem' } } }, 'privateKey'],
    [
      'credential.certificate.cert',
      { ...valid, credential: { certificate: { privateKey: 'k', cert: 'c' } } },
      'certificate',
    ],
    ['cache.maxSize', { ...valid, cache: { maxSize: 10 } }, 'maxEntries'],
    ['cache.maxEntrys', { ...valid, cache: { maxEntrys: 10 } }, 'maxEntries'],
    ['http.timeout', { ...valid, http: { timeout: 1000 } }, 'timeoutMs'],
    ['http.retry', { ...valid, http: { retry: 3 } }, 'retries'],
    ['http.maxRetries', { ...valid, http: { maxRetries: 3 } }, 'retries'],
    ['refresh.window', { ...valid, refresh: { window: 1000 } }, 'windowMs'],
  ])('names %s and suggests what was meant', (path, input, meant) => {
    const error = problemWith(input)
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.path).toBe(path)
    expect(error.message).toContain(`did you mean ${meant}?`)
    expect(error.hint).toContain(meant)
  })

  it.each([
    [
      'clientSecret',
      { tenant: TENANT, clientId: CLIENT_ID, clientSecret: SECRET },
      'credential: { clientSecret',
    ],
    [
      'certificatePath',
      { ...valid, credential: undefined, certificatePath: '/etc/c.pem' },
      'credential: { certificatePath',
    ],
    [
      'federatedTokenFile',
      { ...valid, federatedTokenFile: '/var/run/t' },
      'credential: { federatedTokenFile',
    ],
    ['timeout', { ...valid, timeout: 500 }, 'http: { timeoutMs'],
    ['retries', { ...valid, retries: 1 }, 'http: { retries'],
    ['dispatcher', { ...valid, dispatcher: {} }, 'http: { dispatcher'],
    ['maxEntries', { ...valid, maxEntries: 5 }, 'cache: { maxEntries'],
    ['refreshWindowMs', { ...valid, refreshWindowMs: 5 }, 'refresh: { windowMs'],
    ['scopes', { ...valid, scopes: ['api://x/.default'] }, 'getToken('],
    ['resource', { ...valid, resource: 'api://x' }, 'getToken('],
    ['additionallyAllowedTenants', { ...valid, additionallyAllowedTenants: ['*'] }, '{ tenant }'],
    [
      'credential.passphrase',
      { ...valid, credential: { clientSecret: SECRET, passphrase: 'p' } },
      'certificate',
    ],
    ['credential.privateKey', { ...valid, credential: { privateKey: 'k' } }, 'certificate: { privateKey'],
    [
      'credential.passphrase',
      { ...valid, credential: { certificate: { privateKey: 'k' }, passphrase: 'p' } },
      'inside certificate',
    ],
    ['authority', { ...valid, authority: 'contoso' }, 'authorityHost (scheme and host'],
    [
      'auth',
      { auth: { clientId: CLIENT_ID, clientCertificate: { thumbprint: 'AB', privateKey: 'k' } } },
      'credential: { certificate: { privateKey, certificate } }',
    ],
    [
      'credential.thumbprint',
      { ...valid, credential: { certificatePath: '/c.pem', thumbprint: 'AB' } },
      'computed',
    ],
    [
      'credential.certificate.thumbprint',
      { ...valid, credential: { certificate: { privateKey: 'k', thumbprint: 'AB' } } },
      'computed',
    ],
    [
      'credential.certificate.x5c',
      { ...valid, credential: { certificate: { privateKey: 'k', x5c: [] } } },
      'sendCertificateChain',
    ],
  ])('says where %s belongs', (path, input, words) => {
    const error = problemWith(input)
    expect(error.path).toBe(path)
    expect(`${error.message} ${error.hint}`).toContain(words)
  })

  it("turns MSAL's authority into authorityHost and tenant", () => {
    const input = {
      ...valid,
      tenant: undefined,
      authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    }
    const error = problemWith(input)
    expect(error.path).toBe('authority')
    expect(error.message).toContain("tenant: 'contoso.onmicrosoft.com'")
    expect(`${error.message} ${error.hint}`).toContain('authorityHost')
    const usGov = problemWith({ ...input, authority: `https://login.microsoftonline.us/${TENANT}/` })
    expect(usGov.message).toContain(`tenant: '${TENANT}'`)
    expect(usGov.message).toContain("cloud: 'AzureUSGovernment'")
    const other = problemWith({ ...input, authority: 'https://login.contoso.com/common' })
    expect(other.message).toContain("authorityHost: 'https://login.contoso.com'")
    expect(other.message).not.toContain("tenant: 'common'")
  })

  it("explains MSAL's auth: { clientId, authority, clientSecret } shape", () => {
    const error = problemWith({
      auth: {
        clientId: CLIENT_ID,
        authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
        clientSecret: SECRET,
      },
    })
    expect(error.path).toBe('auth')
    expect(error.message).toContain('MSAL')
    expect(error.message).toContain("tenant: 'contoso.onmicrosoft.com'")
    expect(error.message).toContain('credential: { clientSecret')
    expect(JSON.stringify(error) + error.stack).not.toContain(SECRET)
  })

  it('names the unknown key before the required option it probably meant', () => {
    const error = problemWith({ tenant: TENANT, clientID: CLIENT_ID, credential: { clientSecret: SECRET } })
    expect(error.path).toBe('clientID')
    expect(error.message).not.toContain('required')
  })

  it('names several unknown keys at once, at their object', () => {
    const error = problemWith({ ...valid, http: { timeout: 1, retry: 2 } })
    expect(error.path).toBe('http')
    expect(error.message).toContain('timeout (did you mean timeoutMs?)')
    expect(error.message).toContain('retry (did you mean retries?)')
  })

  it('lists the known options when nothing is close', () => {
    const error = problemWith({ ...valid, http: { banana: 1 } })
    expect(error.path).toBe('http.banana')
    expect(error.message).not.toContain('did you mean')
    expect(error.hint).toContain('timeoutMs')
    expect(error.hint).toContain('maxResponseBytes')
  })

  it('never echoes a key that looks like a secret rather than a name', () => {
    const error = problemWith({ ...valid, [SECRET]: true })
    expect(JSON.stringify(error) + error.stack).not.toContain(SECRET)
    expect(error.message).toContain('unknown option')
  })
})

describe('the credential', () => {
  it('says it is missing when it is missing', () => {
    const error = problemWith({ tenant: TENANT, clientId: CLIENT_ID })
    expect(error.path).toBe('credential')
    expect(error.message).toMatch(/is missing/)
    expect(error.message).not.toMatch(/more than one/)
    expect(error.hint).toContain('clientSecret')
  })

  it.each([
    [{}, /names no credential/],
    [{ passphrase: 'p' }, /names no credential/],
    [null, /must be an object/],
    [SECRET, /is a string/],
  ])('says which kinds it may hold when it holds none (%#)', (credential, words) => {
    const error = problemWith({ ...valid, credential })
    expect(error.path).toBe('credential')
    expect(error.message).toMatch(words)
    expect(error.message).toContain(
      'clientSecret, certificate, certificatePath, privateKey, clientAssertion, federatedTokenFile or managedIdentity',
    )
    expect(JSON.stringify(error)).not.toContain(SECRET)
  })

  it('names the kinds when it holds more than one', () => {
    const error = problemWith({ ...valid, credential: { clientSecret: SECRET, certificatePath: '/c.pem' } })
    expect(error.path).toBe('credential')
    expect(error.message).toContain('more than one credential kind (clientSecret, certificatePath)')
  })
})

describe('hints', () => {
  it.each([
    ['tenant', { ...valid, tenant: 'common' }],
    ['clientId', { ...valid, clientId: 'my-app' }],
    ['credential.clientSecret', { ...valid, credential: { clientSecret: '' } }],
    ['credential.certificate.privateKey', { ...valid, credential: { certificate: { privateKey: 42 } } }],
    ['credential.clientAssertion', { ...valid, credential: { clientAssertion: 7 } }],
    ['cloud', { ...valid, cloud: 'AzureMars' }],
    ['authorityHost', { ...valid, authorityHost: 'not a url' }],
    ['endpointVersion', { ...valid, endpointVersion: 'v3' }],
    ['authMethod', { ...valid, authMethod: 'basic' }],
    ['cache.maxEntries', { ...valid, cache: { maxEntries: 0 } }],
    ['cache.store', { ...valid, cache: { store: {} } }],
    ['refresh.windowMs', { ...valid, refresh: { windowMs: -1 } }],
    ['http.timeoutMs', { ...valid, http: { timeoutMs: -1 } }],
    ['http.retries', { ...valid, http: { retries: 11 } }],
    ['http.dispatcher', { ...valid, http: { dispatcher: {} } }],
    ['http.maxRetryDelayMs', { ...valid, http: { maxRetryDelayMs: 0.5 } }],
    ['http.maxResponseBytes', { ...valid, http: { maxResponseBytes: 0 } }],
    ['logger', { ...valid, logger: {} }],
    ['clock', { ...valid, clock: { now: 5 } }],
    ['', 42],
  ])('%s: a refusal carries a hint about that option, never a generic one', (path, input) => {
    const error = problemWith(input)
    expect(error.path).toBe(path)
    expect(error.hint?.length).toBeGreaterThan(20)
    expect(error.hint).not.toMatch(/^Check the .* you passed\.$/)
  })
})

describe('getToken arguments', () => {
  it.each([
    [{ tenantId: TENANT }, 'tenantId', 'tenant'],
    [{ abortSignal: AbortSignal.timeout(10) }, 'abortSignal', 'signal'],
    [{ forceRefres: true }, 'forceRefres', 'forceRefresh'],
  ])('suggests the option meant in getToken options (%#)', (options, path, meant) => {
    const error = refusal(() => parseGetTokenOptions(options))
    expect(error.path).toBe(path)
    expect(error.message).toContain(`did you mean ${meant}?`)
  })

  it('suggests scope for scopes in a token request', () => {
    const error = refusal(() => parseTokenRequest({ scopes: ['read'] }))
    expect(error.path).toBe('scopes')
    expect(error.message).toContain('did you mean scope?')
  })
})
