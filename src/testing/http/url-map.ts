/**
 * The URL map of the local authority (ENTRA §1), matched case-insensitively as the real service
 * does. The tenant segment is returned decoded and as sent.
 */
import type { RouteName } from '../faults/queue.js'

/**
 * A matched route.
 *
 * @example
 * ```ts
 * matchRoute('/contoso.onmicrosoft.com/discovery/v2.0/keys') // { route: 'jwks', tenant: 'contoso.onmicrosoft.com', version: 'v2' }
 * ```
 */
export type RouteMatch =
  | { route: Exclude<RouteName, 'discovery'>; tenant: string; version: 'v1' | 'v2' }
  | { route: 'discovery' }

const PATTERNS: ReadonlyArray<{
  pattern: RegExp
  route: Exclude<RouteName, 'discovery'>
  version: 'v1' | 'v2'
}> = [
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i, route: 'token', version: 'v2' },
  { pattern: /^\/([^/]+)\/oauth2\/token\/?$/i, route: 'token', version: 'v1' },
  { pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i, route: 'metadata', version: 'v2' },
  { pattern: /^\/([^/]+)\/\.well-known\/openid-configuration\/?$/i, route: 'metadata', version: 'v1' },
  { pattern: /^\/([^/]+)\/discovery\/v2\.0\/keys\/?$/i, route: 'jwks', version: 'v2' },
  { pattern: /^\/([^/]+)\/discovery\/keys\/?$/i, route: 'jwks', version: 'v1' },
]

const DISCOVERY = /^\/(common|organizations)\/discovery\/instance\/?$/i

/**
 * Matches a path to a route.
 *
 * @example
 * ```ts
 * matchRoute('/contoso.onmicrosoft.com/oauth2/v2.0/token') // { route: 'token', tenant: 'contoso.onmicrosoft.com', version: 'v2' }
 * matchRoute('/common/discovery/instance') // { route: 'discovery' }
 * ```
 */
export function matchRoute(pathname: string): RouteMatch | undefined {
  if (DISCOVERY.test(pathname)) return { route: 'discovery' }
  for (const { pattern, route, version } of PATTERNS) {
    const segment = pattern.exec(pathname)?.[1]
    if (segment !== undefined) return { route, tenant: safeDecode(segment), version }
  }
  return undefined
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
