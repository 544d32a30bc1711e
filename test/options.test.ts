import { Agent } from 'undici'
import { describe, expect, it } from 'vitest'
import { optionsFromEnvironment } from '../src/env.js'
import { ConfigurationError } from '../src/errors.js'
import { parseTokenClientOptions } from '../src/options.js'
import { CLIENT_ID, SECRET, TENANT } from './helpers/token-endpoint.js'

const valid = { tenant: TENANT, clientId: CLIENT_ID, credential: { clientSecret: SECRET } }

function problemWith(input: unknown): ConfigurationError {
  try {
    parseTokenClientOptions(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected the options to be refused')
}

describe('TokenClient options', () => {
  it('accepts a minimal Entra client and every documented option', () => {
    expect(parseTokenClientOptions(valid).tenant).toBe(TENANT)
    const full = parseTokenClientOptions({
      ...valid,
      authorityHost: 'http://127.0.0.1:8080',
      endpointVersion: 'v1',
      authMethod: 'client_secret_basic',
      cache: { maxEntries: 5 },
      refresh: { windowMs: 60_000 },
      http: { dispatcher: new Agent(), timeoutMs: 500, retries: 0, maxRetryDelayMs: 0, maxResponseBytes: 10 },
      logger: console,
      clock: { now: () => 0 },
    })
    expect(full.endpointVersion).toBe('v1')
  })

  it.each([
    ['tenant', 'not a tenant', { ...valid, tenant: 'common' }],
    ['tenant', 'not a tenant', { ...valid, tenant: 'organizations' }],
    ['tenant', 'all-zero', { ...valid, tenant: '00000000-0000-0000-0000-000000000000' }],
    ['tenant', 'verified domain', { ...valid, tenant: 'contoso/../x' }],
    ['tenant', 'is required', { ...valid, tenant: undefined }],
    ['clientId', 'GUID', { ...valid, clientId: 'my-app' }],
    ['clientId', 'is empty', { ...valid, clientId: '' }],
    ['credential.clientSecret', 'is empty', { ...valid, credential: { clientSecret: '' } }],
    ['credential', 'names no credential', { ...valid, credential: {} }],
    ['credential.clientSecret', 'required', { ...valid, credential: { clientSecret: undefined } }],
    ['credential.extra', 'unknown option', { ...valid, credential: { clientSecret: SECRET, extra: 1 } }],
    ['cloud', 'AzurePublic', { ...valid, cloud: 'AzureMars' }],
    [
      'authorityHost',
      'not both',
      { ...valid, cloud: 'AzureChina', authorityHost: 'https://login.chinacloudapi.cn' },
    ],
    ['authorityHost', 'loopback', { ...valid, authorityHost: 'http://login.example.com' }],
    ['authorityHost', 'valid URL', { ...valid, authorityHost: 'not a url' }],
    ['endpointVersion', 'v1', { ...valid, endpointVersion: 'v3' }],
    [
      'tenant',
      'cannot be combined with tokenEndpoint',
      { ...valid, tokenEndpoint: 'https://idp.example.com/token' },
    ],
    ['cache.maxEntries', '', { ...valid, cache: { maxEntries: 0 } }],
    ['http.timeoutMs', '', { ...valid, http: { timeoutMs: -1 } }],
    ['http.retries', '', { ...valid, http: { retries: 11 } }],
    ['http.dispatcher', 'Dispatcher', { ...valid, http: { dispatcher: {} } }],
    ['logger', 'console', { ...valid, logger: {} }],
    ['clock', 'now()', { ...valid, clock: { now: 5 } }],
    ['tenantId', 'unknown option: did you mean tenant?', { ...valid, tenantId: TENANT }],
    [
      'authorityHost',
      "tenant: 'contoso.onmicrosoft.com'",
      { ...valid, authorityHost: 'https://login.microsoftonline.com/contoso.onmicrosoft.com' },
    ],
    ['authorityHost', 'no scheme', { ...valid, authorityHost: 'login.microsoftonline.com' }],
    ['authorityHost', 'query', { ...valid, authorityHost: 'https://login.microsoftonline.com/?x=1' }],
    ['authorityHost', 'user name or password', { ...valid, authorityHost: 'https://u:p@host.example.com' }],
    [
      'tokenEndpoint',
      'user name or password',
      {
        tokenEndpoint: 'https://svc:pw@idp.example.com/token',
        clientId: 'svc',
        credential: { clientSecret: 's' },
      },
    ],
    [
      'credential.clientSecret',
      'trim it (a file read often ends with a newline)',
      { ...valid, credential: { clientSecret: `${SECRET}\n` } },
    ],
    [
      'credential.clientSecret',
      'trim it (a file read often ends with a newline)',
      { ...valid, credential: { clientSecret: ` ${SECRET}` } },
    ],
    ['clientId', 'trim it', { ...valid, clientId: `${CLIENT_ID}\r\n` }],
    ['tenant', 'trim it', { ...valid, tenant: `${TENANT} ` }],
  ])('refuses a bad %j option (%s)', (path, words, input) => {
    const error = problemWith(input)
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.path).toBe(path)
    expect(error.message).toContain(words)
  })

  it('accepts an authority host with a trailing slash, and keeps it the host only', () => {
    expect(
      parseTokenClientOptions({ ...valid, authorityHost: 'https://login.microsoftonline.com/' })
        .authorityHost,
    ).toBe('https://login.microsoftonline.com/')
  })

  it('never echoes a secret with whitespace around it, nor the password of a URL', () => {
    const secret = problemWith({ ...valid, credential: { clientSecret: `${SECRET}\n` } })
    expect(JSON.stringify(secret) + secret.stack).not.toContain(SECRET)
    const url = problemWith({ ...valid, authorityHost: 'https://alice:hunter2@login.microsoftonline.com' })
    expect(JSON.stringify(url) + url.stack).not.toMatch(/hunter2|alice/)
  })

  it('refuses a secret read with its newline from the environment, naming the variable', () => {
    const env = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: `${SECRET}\n` }
    const error = (() => {
      try {
        optionsFromEnvironment(env)
      } catch (e) {
        return e as ConfigurationError
      }
      throw new Error('expected a refusal')
    })()
    expect(error.path).toBe('AZURE_CLIENT_SECRET')
    expect(error.message).toContain('trim it (a file read often ends with a newline)')
    expect(JSON.stringify(error) + error.stack).not.toContain(SECRET)
  })

  it('never echoes the secret in the error', () => {
    const error = problemWith({
      ...valid,
      tenant: 'common',
      credential: { clientSecret: SECRET, oops: true },
    })
    expect(JSON.stringify(error)).not.toContain(SECRET)
    expect(error.message).not.toContain(SECRET)
  })

  it('lets a generic server use any client id and no tenant', () => {
    const parsed = parseTokenClientOptions({
      tokenEndpoint: 'https://idp.example.com/token',
      clientId: 'svc',
      credential: { clientSecret: 's' },
    })
    expect(parsed.tokenEndpoint).toBe('https://idp.example.com/token')
  })
})
