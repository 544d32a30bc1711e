import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import {
  identityParameter,
  parseManagedIdentity,
  SYSTEM_ASSIGNED,
} from '../../src/managed-identity/identity.js'
import type { ManagedIdentitySourceKind } from '../../src/managed-identity/source.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const OBJECT_ID = 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9'
const RESOURCE_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker'

function configError(run: () => unknown): ConfigurationError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected a ConfigurationError')
}

describe('parseManagedIdentity', () => {
  it('reads {} and undefined as the system-assigned identity', () => {
    expect(parseManagedIdentity({})).toEqual(SYSTEM_ASSIGNED)
    expect(parseManagedIdentity(undefined)).toEqual({ kind: 'system' })
    expect(parseManagedIdentity({ clientId: undefined })).toEqual({ kind: 'system' })
  })

  it.each([
    [{ clientId: CLIENT_ID }, { kind: 'clientId', id: CLIENT_ID }],
    [{ objectId: OBJECT_ID }, { kind: 'objectId', id: OBJECT_ID }],
    [{ resourceId: RESOURCE_ID }, { kind: 'resourceId', id: RESOURCE_ID }],
  ])('reads %o as one user-assigned identity', (input, expected) => {
    expect(parseManagedIdentity(input)).toEqual(expected)
  })

  it('refuses two ways of naming the identity at once', () => {
    const error = configError(() => parseManagedIdentity({ clientId: CLIENT_ID, objectId: OBJECT_ID }))
    expect(error.path).toBe('managedIdentity')
    expect(error.message).toContain('clientId and objectId')
    expect(error.hint).toMatch(/one of clientId, objectId or resourceId/)
  })

  it('names an unknown key and suggests the near one', () => {
    const error = configError(() => parseManagedIdentity({ clientID: CLIENT_ID }))
    expect(error.path).toBe('managedIdentity.clientID')
    expect(error.hint).toBe('Did you mean managedIdentity.clientId?')
  })

  it.each([
    [{ clientId: 'not-a-guid' }, 'managedIdentity.clientId', /Client ID/],
    [{ objectId: '' }, 'managedIdentity.objectId', /Object \(principal\) ID/],
    [
      { resourceId: '/subscriptions/x/resourceGroups/y' },
      'managedIdentity.resourceId',
      /userAssignedIdentities/,
    ],
    [{ clientId: 42 }, 'managedIdentity.clientId', /Client ID/],
  ])('refuses %o naming the field and how to find the value', (input, path, hint) => {
    const error = configError(() => parseManagedIdentity(input))
    expect(error.path).toBe(path)
    expect(error.hint).toMatch(hint)
  })

  it('refuses a value that is not an object', () => {
    expect(configError(() => parseManagedIdentity('system')).path).toBe('managedIdentity')
    expect(configError(() => parseManagedIdentity([])).path).toBe('managedIdentity')
  })
})

describe('identityParameter', () => {
  const clientId = { kind: 'clientId', id: CLIENT_ID } as const
  const objectId = { kind: 'objectId', id: OBJECT_ID } as const
  const resourceId = { kind: 'resourceId', id: RESOURCE_ID } as const

  it.each<[ManagedIdentitySourceKind, typeof clientId | typeof objectId | typeof resourceId, string]>([
    ['imds', clientId, 'client_id'],
    ['imds', objectId, 'object_id'],
    ['imds', resourceId, 'msi_res_id'],
    ['app-service', clientId, 'client_id'],
    ['app-service', objectId, 'object_id'],
    ['app-service', resourceId, 'mi_res_id'],
    ['azure-ml', clientId, 'clientid'],
  ])('%s names %o by %s', (source, selector, name) => {
    expect(identityParameter(selector, source)).toEqual([name, selector.id])
  })

  it('sends nothing for the system-assigned identity', () => {
    for (const source of [
      'imds',
      'app-service',
      'azure-ml',
      'cloud-shell',
      'azure-arc',
      'service-fabric',
    ] as const) {
      expect(identityParameter(SYSTEM_ASSIGNED, source)).toBeUndefined()
    }
  })

  it.each<[ManagedIdentitySourceKind, typeof clientId | typeof objectId | typeof resourceId, RegExp, RegExp]>(
    [
      ['cloud-shell', clientId, /Cloud Shell/, /managedIdentity: \{\}/],
      ['azure-arc', objectId, /Azure Arc agent/, /managedIdentity: \{\}/],
      ['service-fabric', resourceId, /cluster/, /managedIdentity: \{\}/],
      ['azure-ml', objectId, /client id only/, /managedIdentity\.clientId/],
      ['azure-ml', resourceId, /client id only/, /managedIdentity\.clientId/],
    ],
  )('%s refuses %o with a reason and the way out', (source, selector, why, hint) => {
    const error = configError(() => identityParameter(selector, source))
    expect(error.path).toBe(`managedIdentity.${selector.kind}`)
    expect(error.message).toMatch(why)
    expect(error.hint).toMatch(hint)
  })
})
