import { describe, expect, it } from 'vitest'
import { matchRoute, TENANT_ROUTE_PATHS, type TenantRoute } from '../../../src/testing/http/url-map.js'

const TENANT = 'contoso.onmicrosoft.com'
const CALLS = (Object.keys(TENANT_ROUTE_PATHS) as TenantRoute[]).flatMap((route) =>
  (['v1', 'v2'] as const).map((version) => ({ route, version, path: TENANT_ROUTE_PATHS[route][version] })),
)

describe('the URL map', () => {
  it.each(CALLS)('matches /{tenant}/$path as the $version $route route', ({ route, version, path }) => {
    expect(matchRoute(`/${TENANT}/${path}`)).toEqual({ route, tenant: TENANT, version })
  })

  it.each(CALLS)('matches $path in any case and with a trailing slash', ({ route, version, path }) => {
    expect(matchRoute(`/${TENANT}/${path.toUpperCase()}/`)).toEqual({ route, tenant: TENANT, version })
  })

  it.each(CALLS)('matches $path only under one tenant segment, with nothing after it', ({ path }) => {
    expect(matchRoute(`/a/b/${path}`)).toBeUndefined()
    expect(matchRoute(`/${TENANT}/${path}/more`)).toBeUndefined()
  })

  it('returns the tenant segment decoded, or as sent when it cannot be decoded', () => {
    expect(matchRoute('/contoso%2Eonmicrosoft.com/oauth2/token')).toMatchObject({ tenant: TENANT })
    expect(matchRoute('/%E0%A4%A/oauth2/token')).toMatchObject({ tenant: '%E0%A4%A' })
  })

  it('matches instance discovery under common and organizations only', () => {
    expect(matchRoute('/common/discovery/instance')).toEqual({ route: 'discovery' })
    expect(matchRoute('/Organizations/discovery/instance/')).toEqual({ route: 'discovery' })
    expect(matchRoute('/consumers/discovery/instance')).toBeUndefined()
  })

  it('treats the dots of a path as dots, not as any character', () => {
    expect(matchRoute(`/${TENANT}/oauth2/v2x0/token`)).toBeUndefined()
    expect(matchRoute(`/${TENANT}/v2.0/x-well-known/openid-configuration`)).toBeUndefined()
  })
})
