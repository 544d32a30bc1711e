/**
 * The URL map of the local authority (docs/entra.md §1), matched case-insensitively as the real service
 * does. The tenant segment is returned decoded and as sent. {@link TENANT_ROUTE_PATHS} is the one
 * table of endpoint paths: the matcher, the handle's URL helpers, the metadata documents and the
 * assertion audiences all read it.
 */

/**
 * The routes of the local authority (and of faults and the request log).
 *
 * @example
 * ```ts
 * ROUTE_NAMES.includes('jwks') // true
 * ```
 */
export const ROUTE_NAMES = [
  'token',
  'metadata',
  'jwks',
  'discovery',
  'imds',
  'appService',
  'arc',
  'azureMl',
  'cloudShell',
  'serviceFabric',
] as const

/**
 * A route of the local authority.
 *
 * @example
 * ```ts
 * authority.faults.add({ route: 'metadata' satisfies RouteName, kind: 'status503' })
 * ```
 */
export type RouteName = (typeof ROUTE_NAMES)[number]

/**
 * The routes under a tenant segment (`/{tenant}/…`).
 *
 * @example
 * ```ts
 * const route: TenantRoute = 'token'
 * ```
 */
export type TenantRoute = Exclude<RouteName, 'discovery' | ManagedIdentityRoute>

/**
 * The managed-identity endpoints, by the source whose shape they answer in.
 *
 * @example
 * ```ts
 * authority.faults.add({ route: 'imds' satisfies ManagedIdentityRoute, kind: 'status500' })
 * ```
 */
export type ManagedIdentityRoute = 'imds' | 'appService' | 'arc' | 'azureMl' | 'cloudShell' | 'serviceFabric'

/**
 * The path of each managed-identity endpoint: IMDS's own path, App Service's `/MSI/token/` (any case)
 * and, for Arc (whose agent uses IMDS's path on its own port), IMDS's path under `/arc`; Azure ML,
 * Cloud Shell and Service Fabric (each on its own host or port in Azure) under a prefix of their own.
 *
 * @example
 * ```ts
 * `${authority.url}${MANAGED_IDENTITY_PATHS.imds}` // http://127.0.0.1:5312/metadata/identity/oauth2/token
 * ```
 */
export const MANAGED_IDENTITY_PATHS: Readonly<Record<ManagedIdentityRoute, string>> = {
  imds: '/metadata/identity/oauth2/token',
  appService: '/msi/token',
  arc: '/arc/metadata/identity/oauth2/token',
  azureMl: '/azure-ml/msi/token',
  cloudShell: '/cloud-shell/oauth2/token',
  serviceFabric: '/service-fabric/metadata/identity/oauth2/token',
}

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
/**
 * The path of each tenant route after `/{tenant}/`, by endpoint version (the client builds its own,
 * in `src/authority.ts`).
 *
 * @example
 * ```ts
 * `${url}/${tenant}/${TENANT_ROUTE_PATHS.token.v1}` // http://127.0.0.1:5312/contoso.onmicrosoft.com/oauth2/token
 * ```
 */
export const TENANT_ROUTE_PATHS: Readonly<Record<TenantRoute, Readonly<Record<'v1' | 'v2', string>>>> = {
  token: { v2: 'oauth2/v2.0/token', v1: 'oauth2/token' },
  metadata: { v2: 'v2.0/.well-known/openid-configuration', v1: '.well-known/openid-configuration' },
  jwks: { v2: 'discovery/v2.0/keys', v1: 'discovery/keys' },
}

/**
 * Whether `route` is a managed-identity endpoint.
 *
 * @example
 * ```ts
 * isManagedIdentityRoute('cloudShell') // true
 * ```
 */
export function isManagedIdentityRoute(route: RouteName): route is ManagedIdentityRoute {
  return Object.hasOwn(MANAGED_IDENTITY_PATHS, route)
}

/**
 * A matched route.
 *
 * @example
 * ```ts
 * matchRoute('/contoso.onmicrosoft.com/discovery/v2.0/keys') // { route: 'jwks', tenant: 'contoso.onmicrosoft.com', version: 'v2' }
 * ```
 */
export type RouteMatch =
  | ({ route: TenantRoute } & TenantRouteCall)
  | { route: 'discovery' }
  | { route: ManagedIdentityRoute }

/**
 * A call of a tenant route: the tenant segment (decoded, as sent) and the endpoint version.
 *
 * @example
 * ```ts
 * const call: TenantRouteCall = { tenant: 'contoso.onmicrosoft.com', version: 'v1' }
 * ```
 */
export interface TenantRouteCall {
  tenant: string
  version: 'v1' | 'v2'
}

/** `/{tenant}/{path}` with an optional trailing slash, any case; the tenant segment captured. */
const PATTERNS = Object.entries(TENANT_ROUTE_PATHS).flatMap(([route, paths]) =>
  (['v2', 'v1'] as const).map((version) => ({
    pattern: new RegExp(`^/([^/]+)/${escapeRegExp(paths[version])}/?$`, 'i'),
    route: route as TenantRoute,
    version,
  })),
)

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
  const path = pathname.toLowerCase().replace(/(?<=.)\/$/, '')
  for (const [route, identityPath] of Object.entries(MANAGED_IDENTITY_PATHS)) {
    if (path === identityPath) return { route: route as ManagedIdentityRoute }
  }
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
