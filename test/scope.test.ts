import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../src/errors.js'
import { resourceFor, scopeFor } from '../src/scope.js'

describe('scopeFor', () => {
  it.each([
    ['api://myapis/mywebapi', 'api://myapis/mywebapi/.default'],
    ['https://graph.microsoft.com', 'https://graph.microsoft.com/.default'],
    ['https://database.windows.net/', 'https://database.windows.net//.default'],
    ['https://contoso.com/api', 'https://contoso.com/api/.default'],
    ['55b2a7ec-73f3-45c2-af08-21ecc33dc40e', '55b2a7ec-73f3-45c2-af08-21ecc33dc40e/.default'],
    ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com/.default'],
    ['api://myapis/mywebapi/.default', 'api://myapis/mywebapi/.default'],
  ])('turns %s into the one /.default scope %s', (resource, scope) => {
    expect(scopeFor(resource)).toBe(scope)
  })

  it.each([
    ['', 'is empty'],
    ['User.Read', 'AADSTS1002012'],
    ['openid', 'AADSTS1002012'],
    ['api://a/.default api://b/.default', 'AADSTS700022'],
    ['/.default', 'is empty'],
    ['myapi', 'not an App ID URI'],
  ])('refuses %j before anything is sent, explaining the rule', (resource, words) => {
    let caught: unknown
    try {
      scopeFor(resource)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigurationError)
    const error = caught as ConfigurationError
    expect(error.code).toBe('ERR_CONFIG_INVALID')
    expect(error.path).toBe('resource')
    expect(`${error.message} ${error.hint}`).toContain(words)
  })

  it('gives the v1 resource without /.default, keeping a trailing slash', () => {
    expect(resourceFor('api://myapis/mywebapi/.default')).toBe('api://myapis/mywebapi')
    expect(resourceFor('https://database.windows.net/')).toBe('https://database.windows.net/')
  })
})
