import { describe, expect, it } from 'vitest'
import { createIssuerResolver, defaultJwksUri, resolveAuthority } from '../../src/verify/issuer.js'

const TID = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
const issuers = (
  authority: Parameters<typeof resolveAuthority>[0],
  option?: Parameters<typeof createIssuerResolver>[0],
) => {
  const resolve = createIssuerResolver(option, resolveAuthority(authority))
  return [resolve({ tenantId: TID, version: '1.0' }), resolve({ tenantId: TID, version: '2.0' })]
}

describe('default issuers per cloud (docs/entra.md §1)', () => {
  it.each([
    [{}, `https://sts.windows.net/${TID}/`, `https://login.microsoftonline.com/${TID}/v2.0`],
    [
      { cloud: 'AzureUSGovernment' as const },
      `https://sts.windows.net/${TID}/`,
      `https://login.microsoftonline.us/${TID}/v2.0`,
    ],
    [
      { cloud: 'AzureChina' as const },
      `https://sts.chinacloudapi.cn/${TID}/`,
      `https://login.partner.microsoftonline.cn/${TID}/v2.0`,
    ],
  ])('for %j: v1 %s, v2 %s', (authority, v1, v2) => {
    expect(issuers(authority)).toEqual([[v1], [v2]])
  })

  it('maps a known Entra authorityHost, or its alias, to its cloud', () => {
    expect(issuers({ authorityHost: 'https://login.chinacloudapi.cn' })).toEqual(
      issuers({ cloud: 'AzureChina' }),
    )
    expect(issuers({ authorityHost: 'https://login.microsoftonline.us/' })).toEqual(
      issuers({ cloud: 'AzureUSGovernment' }),
    )
  })

  it('takes any other authorityHost (an emulator) as issuing {host}/{tid}/ and {host}/{tid}/v2.0', () => {
    expect(issuers({ authorityHost: 'http://127.0.0.1:8080/' })).toEqual([
      [`http://127.0.0.1:8080/${TID}/`],
      [`http://127.0.0.1:8080/${TID}/v2.0`],
    ])
  })
})

describe('the issuer option', () => {
  it('fills {tenantid} in per-version templates and keeps the default for an omitted version', () => {
    expect(issuers({}, { v2: 'https://idp.test/{tenantid}/v2.0' })).toEqual([
      [`https://sts.windows.net/${TID}/`],
      [`https://idp.test/${TID}/v2.0`],
    ])
  })

  it('uses one string for both versions', () => {
    expect(issuers({}, 'https://idp.test/')).toEqual([['https://idp.test/'], ['https://idp.test/']])
  })

  it('accepts every issuer a function returns', () => {
    expect(issuers({}, ({ version }) => [`https://a/${version}`, `https://b/${version}`])[1]).toEqual([
      'https://a/2.0',
      'https://b/2.0',
    ])
  })
})

describe('defaultJwksUri', () => {
  it('is {host}/{tenant}/discovery/v2.0/keys', () => {
    expect(defaultJwksUri(resolveAuthority({}), TID)).toBe(
      `https://login.microsoftonline.com/${TID}/discovery/v2.0/keys`,
    )
    expect(defaultJwksUri(resolveAuthority({ cloud: 'AzureChina' }), TID)).toBe(
      `https://login.partner.microsoftonline.cn/${TID}/discovery/v2.0/keys`,
    )
  })
})
