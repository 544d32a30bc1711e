/**
 * The options of {@link createTokenVerifier} and of the guard: one zod schema each, validated once,
 * a failure reported through `parseWith` (src/validation/parse.ts) as one `ConfigurationError` that
 * names the option.
 */

import { z } from 'zod'
import { insecureUrlProblem, isGuid } from '../authority.js'
import { type ParseGuide, parseWith } from '../validation/parse.js'
import { clockSchema } from '../validation/schemas.js'
import type { RequestEvidence } from './binding.js'
import { dpopOptionsSchema } from './dpop-options.js'
import type { IssuerResolver } from './issuer.js'

const NIL_GUID = '00000000-0000-0000-0000-000000000000'

/** A directory (tenant) id: tokens carry it in `tid` and in `iss`, never a domain name. */
const tenantId = z
  .string()
  .refine(isGuid, {
    error:
      'must be the directory (tenant) id, a GUID: tokens carry the GUID in tid and iss, never a domain name',
  })
  .refine((value) => value !== NIL_GUID, { error: 'the all-zero GUID is not a tenant' })
  .transform((value) => value.toLowerCase())

/** An https URL, or http on a loopback host (a local emulator). */
const secureUrl = z.string().refine(isSecureUrl, {
  error: 'must be an https URL (http is accepted only on localhost, 127.0.0.0/8 and [::1])',
})

const roleNames = z.array(z.string().min(1, { error: 'a role name cannot be empty' })).min(1)

/**
 * Which app roles (`roles` claim) a token must carry: a plain array means all of them;
 * `{ all }`, `{ any }` or both say it explicitly.
 */
export const roleRequirementSchema = z.union(
  [
    roleNames,
    z
      .strictObject({ all: roleNames.optional(), any: roleNames.optional() })
      .refine((value) => value.all !== undefined || value.any !== undefined, {
        error: 'give all, any, or both',
      }),
  ],
  { error: "expected an array of role names, or { all: [...] } / { any: [...] }, e.g. ['Orders.Read']" },
)

/** The app roles a token must carry: `['A', 'B']` (all of them), `{ all: [...] }`, `{ any: [...] }`. */
export type RoleRequirement = z.input<typeof roleRequirementSchema>

/** Signature algorithms a verifier may allow: asymmetric only, so never `none` nor an HMAC. */
export const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const
/** One of {@link ALGORITHMS}. */
export type VerifyAlgorithm = (typeof ALGORITHMS)[number]

const issuerTemplate = z.string().min(1)
const issuerFunction = z.custom<IssuerResolver>((value) => typeof value === 'function')

const verifierFields = z.strictObject({
  /**
   * The API's own tenant (directory id GUID). The token's `tid` must be it, and its `iss` the
   * issuer for it. Give `tenant` or `tenants`.
   * @example tenant: 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
   */
  tenant: tenantId.optional(),
  /**
   * Multi-tenant APIs: the allow-list of tenant ids whose tokens are accepted; the `iss` is checked
   * as the issuer for the token's `tid`.
   */
  tenants: z.array(tenantId).min(1).optional(),
  /**
   * Overrides the expected issuer. Templates may contain `{tenantid}`, replaced by the token's
   * `tid` (Microsoft's own spelling in its multi-tenant metadata).
   * - `{ v1?, v2? }`: per token version; an omitted version keeps the default of `cloud` / `authorityHost`.
   * - a function `({ tenantId, version }) => issuer | issuers`: full control.
   * - a single string: every token's `iss` must be exactly it. Only this form may be used without
   *   `tenant`/`tenants` (then `jwksUri` is required and the `tid` is not allow-listed).
   * @defaultValue from `cloud` / `authorityHost`: v1 `https://sts.windows.net/{tenantid}/`, v2 `{host}/{tenantid}/v2.0`
   * @example issuer: { v1: 'http://127.0.0.1:8080/{tenantid}/', v2: 'http://127.0.0.1:8080/{tenantid}/v2.0' }
   */
  issuer: z
    .union(
      [
        issuerTemplate,
        z.strictObject({ v1: issuerTemplate.optional(), v2: issuerTemplate.optional() }),
        issuerFunction,
      ],
      {
        error:
          'expected an issuer string, { v1, v2 } templates, or a function ({ tenantId, version }) => issuer',
      },
    )
    .optional(),
  /**
   * Which rules the tokens follow. `entra`: Entra ID access tokens (`ver`, `tid`, issuers by tenant and
   * version). `rfc9068`: JWT access tokens of any server (RFC 9068: `typ` `at+jwt`; `iss`, `exp`, `aud`,
   * `sub`, `client_id`, `iat` and `jti` required), from one `issuer` and its `jwksUri`.
   * @defaultValue `rfc9068` when `issuer` is one fixed string of a host that is not Entra's and no
   * tenant, cloud or authorityHost is given; `entra` otherwise
   */
  profile: z.enum(['entra', 'rfc9068']).optional(),
  /**
   * The accepted `aud` values: the App ID URI (v1 tokens carry it, exactly as the client asked,
   * trailing slash included) and/or the application (client) id GUID (v2 tokens carry it).
   * @example audience: ['api://orders', '55b2a7ec-73f3-45c2-af08-21ecc33dc40e']
   */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: 'expected the App ID URI and/or the application id, as a string or an array of strings',
  }),
  /** The national cloud; sets the default issuers and JWKS host. @defaultValue 'AzurePublic' */
  cloud: z.enum(['AzurePublic', 'AzureUSGovernment', 'AzureChina']).optional(),
  /**
   * Another authority host, e.g. a local emulator `http://127.0.0.1:8080`. A known Entra host selects
   * its cloud; any other host issues v2 `{host}/{tenantid}/v2.0` and v1 `{host}/{tenantid}/` (override with `issuer`).
   */
  authorityHost: secureUrl.optional(),
  /** The JWKS URL. @defaultValue `{host}/{tid}/discovery/v2.0/keys`, one cached key set per allowed tenant */
  jwksUri: secureUrl.optional(),
  /** App roles every token must carry (per-call and per-route requirements add to these). */
  requiredRoles: roleRequirementSchema.optional(),
  /** Leeway for `exp` and `nbf`, in seconds. @defaultValue 300 */
  clockToleranceSec: z.number().int().min(0).max(3600).default(300),
  /** Accepted `alg` values. @defaultValue ['RS256'] (what Entra signs with) */
  algorithms: z
    .array(
      z.enum(ALGORITHMS, { error: `must be one of ${ALGORITHMS.join(', ')}: never none, never an HMAC` }),
    )
    .min(1)
    .default(['RS256']),
  /** The `realm` of the `WWW-Authenticate` challenges. @defaultValue none */
  realm: z.string().optional(),
  /**
   * How DPoP proofs are checked (DPoP-bound tokens are checked without it too, with the defaults);
   * giving it also offers DPoP in the challenge to a request without a token.
   * @example dpop: { nonce: true, maxAgeSec: 120 }
   */
  dpop: dpopOptionsSchema.optional(),
  /** JWKS fetching (jose `createRemoteJWKSet`): timeout, refetch cool-down, maximum cache age. */
  jwks: z
    .strictObject({
      timeoutMs: z.number().int().min(1).default(5_000),
      cooldownMs: z.number().int().min(0).default(30_000),
      cacheMaxAgeMs: z.number().int().min(0).default(600_000),
    })
    .default({ timeoutMs: 5_000, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 }),
  /** The clock: `{ now() }` in epoch ms, as the client takes it (tests). @defaultValue the system clock */
  clock: clockSchema().optional(),
  /** @deprecated Use `clock: { now }`. The clock, in epoch ms. */
  now: z
    .custom<() => number>((value) => typeof value === 'function', { error: 'expected () => number' })
    .optional(),
})

/** The options of `createTokenVerifier`: the fields, then the rules that tie them together. */
export const verifierOptionsSchema = verifierFields.superRefine(checkCombinations)

/** The options of `createTokenVerifier`, as written by the caller. */
export type TokenVerifierOptions = z.input<typeof verifierOptionsSchema>
/** The options after validation and defaults. */
export type ParsedVerifierOptions = z.output<typeof verifierOptionsSchema>

/** The options of a per-call check or of a guard. */
export const routeOptionsSchema = z.strictObject({
  /** App roles this call or route requires, on top of the verifier's own. */
  requiredRoles: roleRequirementSchema.optional(),
})

/** The options of `verify(token, options)` and of `createGuard(verifier, options)`. */
export type RouteOptions = z.input<typeof routeOptionsSchema>

/** The options of `createGuard(verifier, options)` and of `guard.middleware(options)`. */
export const guardOptionsSchema = routeOptionsSchema.extend({
  /**
   * Where clients call the API, for the `htu` of DPoP proofs: scheme, host and any path prefix a
   * proxy strips before the request reaches the middleware. Give it in production (and behind a proxy
   * or load balancer): without it the host comes from the Host header, which the client writes.
   * @defaultValue `https://` on a TLS socket (`http://` otherwise) and the request's Host header
   * @example baseUrl: 'https://api.contoso.com'
   */
  baseUrl: secureUrl.optional(),
})

/**
 * The options of `createGuard(verifier, options)` and of `guard.middleware(options)`.
 *
 * @example
 * ```ts
 * const guard = createGuard(verifier, { requiredRoles: ['Orders.Read'], baseUrl: 'https://api.contoso.com' })
 * ```
 */
export type GuardOptions = z.input<typeof guardOptionsSchema>

const requestSchema = z.custom<RequestEvidence>((value) => typeof value === 'object' && value !== null, {
  error: 'expected { method, url, dpop, peerCertificate }',
})

/** The options of one `verify` or `authorize` call: the route's roles, and the request's proof. */
export const callOptionsSchema = routeOptionsSchema.extend({
  /**
   * The request the token came with: `method`, `url` and the `dpop` header for DPoP-bound tokens,
   * `peerCertificate` for certificate-bound ones. A bound token is refused without it.
   */
  request: requestSchema.optional(),
})

/**
 * The options of `verifier.verify(token, options)` and `guard.authorize(header, options)`.
 *
 * @example
 * ```ts
 * await verifier.verify(c.req.header('authorization'), {
 *   requiredRoles: ['Admin'],
 *   request: { method: c.req.method, url: c.req.url, dpop: c.req.header('dpop') },
 * })
 * ```
 */
export type CallOptions = z.input<typeof callOptionsSchema>

function checkCombinations(options: z.output<typeof verifierFields>, ctx: z.RefinementCtx): void {
  const { tenant, tenants, issuer, cloud, authorityHost, jwksUri } = options
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
  if (tenant !== undefined && tenants !== undefined) fail('tenants', 'give tenant or tenants, not both')
  if (options.clock !== undefined && options.now !== undefined)
    fail('now', 'give clock (or the deprecated now), not both')
  if (cloud !== undefined && authorityHost !== undefined)
    fail('authorityHost', 'give cloud or authorityHost, not both')
  const entraOnly = { tenant, tenants, cloud, authorityHost }
  const given = Object.entries(entraOnly).find(([, value]) => value !== undefined)?.[0]
  if (options.profile === 'rfc9068' && given !== undefined) {
    fail(given, `${given} belongs to the entra profile: the rfc9068 profile takes issuer and jwksUri`)
  }
  if (tenant !== undefined || tenants !== undefined) return
  if (typeof issuer !== 'string') {
    fail('tenant', 'tenant (or tenants) is required, unless issuer is one fixed string')
  } else if (issuer.includes('{tenantid}')) {
    fail(
      'tenants',
      'an issuer template with {tenantid} needs tenant or tenants, or any tenant would be accepted',
    )
  } else if (jwksUri === undefined) {
    fail('jwksUri', 'without tenant or tenants, give the jwksUri of the issuer')
  }
}

/**
 * How verify reports its options through `parseWith`: a path names the object that holds an unknown key
 * (`''`, `dpop`), as it always has.
 *
 * @example
 * ```ts
 * const parsed = parseWith(verifierOptionsSchema, options ?? {}, 'verifier options', VERIFIER_GUIDE)
 * ```
 */
export const VERIFIER_GUIDE: ParseGuide = { unknownKeysAt: 'object' }

/** {@link VERIFIER_GUIDE} for an `options` argument (a guard's, a route's, a call's): paths start `options.`. */
const CALL_GUIDE: ParseGuide = { at: 'options', unknownKeysAt: 'object' }

/**
 * The options of one `verify` or `authorize` call, validated (absent: none).
 *
 * @example
 * ```ts
 * const { requiredRoles, request } = parseCallOptions(callOptions)
 * ```
 */
export function parseCallOptions(options: CallOptions | undefined): z.output<typeof callOptionsSchema> {
  return parseWith(callOptionsSchema, options ?? {}, 'options', CALL_GUIDE)
}

/**
 * The options of a guard or of its middleware, validated (absent: none).
 *
 * @example
 * ```ts
 * const { requiredRoles, baseUrl } = parseGuardOptions(options)
 * ```
 */
export function parseGuardOptions(options: GuardOptions | undefined): z.output<typeof guardOptionsSchema> {
  return parseWith(guardOptionsSchema, options ?? {}, 'options', CALL_GUIDE)
}

function isSecureUrl(value: string): boolean {
  const url = URL.parse(value)
  return url !== null && insecureUrlProblem(url) === undefined
}
