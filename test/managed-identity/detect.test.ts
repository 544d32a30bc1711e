import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { AppServiceSource } from '../../src/managed-identity/app-service.js'
import { AzureArcSource, HIMDS_DEFAULT_ENDPOINT } from '../../src/managed-identity/arc.js'
import { AzureMlSource } from '../../src/managed-identity/azure-ml.js'
import { CloudShellSource } from '../../src/managed-identity/cloud-shell.js'
import { detectManagedIdentitySource, himdsInstalled } from '../../src/managed-identity/detect.js'
import { ImdsSource } from '../../src/managed-identity/imds.js'
import { ServiceFabricSource } from '../../src/managed-identity/service-fabric.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const THUMBPRINT = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01'
const notInstalled = () => false
const ALL = {
  IDENTITY_ENDPOINT: 'https://127.0.0.1:2377/metadata/identity/oauth2/token',
  IDENTITY_HEADER: 'header-secret',
  IDENTITY_SERVER_THUMBPRINT: THUMBPRINT,
  MSI_ENDPOINT: 'http://127.0.0.1:50342/oauth2/token',
  MSI_SECRET: 'msi-secret',
  IMDS_ENDPOINT: 'http://127.0.0.1:40342',
  AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:2379',
}

function without(...names: (keyof typeof ALL)[]) {
  return Object.fromEntries(Object.entries(ALL).filter(([name]) => !names.includes(name as keyof typeof ALL)))
}

describe("detectManagedIdentitySource, in msal-node's order", () => {
  it('picks Service Fabric first, with the thumbprint as upper-case hex', () => {
    const source = detectManagedIdentitySource(ALL, { himdsInstalled: notInstalled })
    expect(source).toBeInstanceOf(ServiceFabricSource)
    expect((source as ServiceFabricSource).thumbprint).toBe('ABCDEF0123456789ABCDEF0123456789ABCDEF01')
  })

  it('then App Service / Functions (IDENTITY_ENDPOINT + IDENTITY_HEADER)', () => {
    const source = detectManagedIdentitySource(without('IDENTITY_SERVER_THUMBPRINT'))
    expect(source).toBeInstanceOf(AppServiceSource)
    expect(source.endpoint).toBe(ALL.IDENTITY_ENDPOINT)
  })

  it('then Azure ML (MSI_ENDPOINT + MSI_SECRET), keeping DEFAULT_IDENTITY_CLIENT_ID', () => {
    const env = {
      ...without('IDENTITY_HEADER'),
      DEFAULT_IDENTITY_CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000000',
    }
    const source = detectManagedIdentitySource(env)
    expect(source).toBeInstanceOf(AzureMlSource)
    expect((source as AzureMlSource).defaultClientId).toBe('c0ffee00-0000-4000-8000-000000000000')
  })

  it('then Cloud Shell (MSI_ENDPOINT alone)', () => {
    const source = detectManagedIdentitySource(without('IDENTITY_HEADER', 'MSI_SECRET'))
    expect(source).toBeInstanceOf(CloudShellSource)
    expect(source.endpoint).toBe(ALL.MSI_ENDPOINT)
  })

  it('then Azure Arc (IDENTITY_ENDPOINT + IMDS_ENDPOINT), without asking whether himds is installed', () => {
    let asked = 0
    const env = without('IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET')
    const source = detectManagedIdentitySource(
      { ...env, IDENTITY_ENDPOINT: 'http://localhost:40342/metadata/identity/oauth2/token' },
      { himdsInstalled: () => ++asked > 0 },
    )
    expect(source).toBeInstanceOf(AzureArcSource)
    expect((source as AzureArcSource).detectedBy).toBe('environment')
    expect(source.endpoint).toBe('http://127.0.0.1:40342/metadata/identity/oauth2/token')
    expect(asked).toBe(0)
  })

  it("uses the himds agent's default endpoint only when the agent is installed", () => {
    const installed = detectManagedIdentitySource(
      { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/x' },
      { himdsInstalled: () => true },
    )
    expect(installed).toBeInstanceOf(AzureArcSource)
    expect(installed.endpoint).toBe(HIMDS_DEFAULT_ENDPOINT)
    expect((installed as AzureArcSource).detectedBy).toBe('himds')
    expect(detectManagedIdentitySource({}, { himdsInstalled: notInstalled })).toBeInstanceOf(ImdsSource)
  })

  it('falls back to IMDS: the option, then AZURE_POD_IDENTITY_AUTHORITY_HOST, then the link-local default', () => {
    const option = detectManagedIdentitySource(
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:2379' },
      { imdsBaseUrl: 'http://127.0.0.1:8080/', himdsInstalled: notInstalled },
    ) as ImdsSource
    expect(option.endpoint).toBe('http://127.0.0.1:8080/metadata/identity/oauth2/token')
    expect(option.baseOrigin).toBe('option')
    const variable = detectManagedIdentitySource(
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:2379' },
      { himdsInstalled: notInstalled },
    ) as ImdsSource
    expect(variable.endpoint).toBe('http://127.0.0.1:2379/metadata/identity/oauth2/token')
    expect(variable.baseOrigin).toBe('AZURE_POD_IDENTITY_AUTHORITY_HOST')
    // resolved only: nothing connects to it in any test
    const fallback = detectManagedIdentitySource({}, { himdsInstalled: notInstalled }) as ImdsSource
    expect(fallback.endpoint).toBe('http://169.254.169.254/metadata/identity/oauth2/token')
    expect(fallback.baseOrigin).toBe('default')
  })

  it('treats empty variables as unset', () => {
    const source = detectManagedIdentitySource(
      { IDENTITY_ENDPOINT: '', IDENTITY_HEADER: '', MSI_ENDPOINT: '' },
      { himdsInstalled: notInstalled },
    )
    expect(source).toBeInstanceOf(ImdsSource)
  })

  it.each([
    [{ ...ALL, IDENTITY_SERVER_THUMBPRINT: 'abc' }, 'IDENTITY_SERVER_THUMBPRINT'],
    [{ ...ALL, IDENTITY_ENDPOINT: 'http://127.0.0.1:2377/token' }, 'IDENTITY_ENDPOINT'],
    [{ IDENTITY_ENDPOINT: 'not a url', IDENTITY_HEADER: 'x' }, 'IDENTITY_ENDPOINT'],
    [{ MSI_ENDPOINT: 'ftp://127.0.0.1/x' }, 'MSI_ENDPOINT'],
    [{ IDENTITY_ENDPOINT: 'http://127.0.0.1:1/x', IMDS_ENDPOINT: '::' }, 'IMDS_ENDPOINT'],
    [{ AZURE_POD_IDENTITY_AUTHORITY_HOST: '127.0.0.1:2379' }, 'AZURE_POD_IDENTITY_AUTHORITY_HOST'],
    [{ IDENTITY_ENDPOINT: 'http://user:pw@127.0.0.1:1/x', IDENTITY_HEADER: 'x' }, 'IDENTITY_ENDPOINT'],
  ])('refuses a malformed variable, naming it (%#)', (env, name) => {
    let caught: unknown
    try {
      detectManagedIdentitySource(env, { himdsInstalled: notInstalled })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigurationError)
    expect((caught as ConfigurationError).path).toBe(name)
    expect((caught as ConfigurationError).hint).toBeTruthy()
  })

  it('refuses a malformed imdsBaseUrl option', () => {
    expect(() =>
      detectManagedIdentitySource({}, { imdsBaseUrl: 'localhost:8080', himdsInstalled: notInstalled }),
    ).toThrow(expect.objectContaining({ path: 'imdsBaseUrl' }))
  })
})

describe('himdsInstalled', () => {
  it('is false where Arc does not run and where the agent is missing', () => {
    expect(himdsInstalled('darwin', {})).toBe(false)
    expect(himdsInstalled('win32', { ProgramFiles: '/nonexistent-program-files' })).toBe(false)
  })
})
