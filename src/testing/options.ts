/**
 * Options of {@link startLocalAuthority}, validated with zod.
 */
import { z } from 'zod'
import { clockSchema } from '../validation/schemas.js'
import { CLOUD_NAMES, type CloudName, ISSUER_MODES, type IssuerMode } from './entra/clouds.js'
import { DESCRIPTION_SEPARATORS, type DescriptionSeparator } from './entra/error-body.js'
import { parseEntry } from './registry/registry-error.js'
import type { RegistryInput } from './registry/schema.js'

const optionsSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65_535).default(0),
    https: z.boolean().default(false),
    registry: z.custom<RegistryInput>((value) => typeof value === 'object' && value !== null).optional(),
    registryFile: z.string().min(1).optional(),
    clock: clockSchema().optional(),
    now: z
      .custom<() => number>((value) => typeof value === 'function', {
        error: 'must be a function returning epoch ms',
      })
      .optional(),
    descriptionSeparator: z.enum(DESCRIPTION_SEPARATORS).default(' '),
    cloud: z.enum(CLOUD_NAMES).default('AzurePublic'),
    issuer: z.enum(ISSUER_MODES).default('cloud'),
    assertionSkewSeconds: z.number().int().nonnegative().default(300),
    console: z.boolean().default(false),
    wellKnownResources: z.boolean().default(true),
  })
  .refine((options) => options.registry === undefined || options.registryFile === undefined, {
    error: 'give either registry or registryFile, not both',
  })
  .refine((options) => options.clock === undefined || options.now === undefined, {
    error: 'give clock (or the deprecated now), not both',
    path: ['now'],
  })

/**
 * Options of the local authority.
 *
 * @example
 * ```ts
 * const options: LocalAuthorityOptions = { https: true, registryFile: 'registry.json', clock: { now: () => Date.parse('2026-01-01T00:00:00Z') } }
 * const watched: LocalAuthorityOptions = { console: true } // open authority.consoleUrl in a browser
 * ```
 */
export interface LocalAuthorityOptions {
  /** Port on 127.0.0.1. @defaultValue 0 (any free port) */
  port?: number
  /** Serve https with a generated certificate (SANs `127.0.0.1`, `localhost`; PEM in `caPem`). @defaultValue false */
  https?: boolean
  /** The registry, in code. @defaultValue {@link exampleRegistry}() unless `registryFile` is given */
  registry?: RegistryInput
  /** Path of a JSON registry document. */
  registryFile?: string
  /**
   * The clock: `{ now() }` in epoch ms, as the client takes it (tokens, secret expiry, assertion times,
   * timestamps). @defaultValue the system clock
   */
  clock?: { now(): number }
  /** @deprecated Use `clock: { now }`. The clock, epoch ms. */
  now?: () => number
  /** Separator of the error description's trailer: `' '` (2024 on) or `'\r\n'` (until 2023). @defaultValue ' ' */
  descriptionSeparator?: DescriptionSeparator
  /** Which cloud to impersonate (issuers, `error_uri` host). @defaultValue 'AzurePublic' */
  cloud?: CloudName
  /** `'cloud'`: tokens carry the real cloud's issuers; `'local'`: the authority's own URL. @defaultValue 'cloud' */
  issuer?: IssuerMode
  /** Clock skew allowed on assertion `exp`/`nbf`, seconds. @defaultValue 300 */
  assertionSkewSeconds?: number
  /**
   * Serve the console at `/`: a page showing the registrations, each request live (with the AADSTS
   * codes explained and the claims of each token issued), the faults, and a decode box. Never shows
   * a secret, an assertion, a key or a token. @defaultValue false
   */
  console?: boolean
  /**
   * Register Microsoft Graph, Azure Storage, Key Vault, Azure Resource Manager and the token exchange
   * audience (`api://AzureADTokenExchange`) in every tenant, with their real application ids, unless
   * the registry has them. @defaultValue true
   */
  wellKnownResources?: boolean
}

/**
 * Options with defaults applied.
 *
 * @example
 * ```ts
 * resolveOptions({}).descriptionSeparator // ' '
 * ```
 */
export type ResolvedOptions = z.output<typeof optionsSchema>

/**
 * Validates options (throws a `RegistryError` naming the bad option).
 *
 * @example
 * ```ts
 * resolveOptions({ https: true }).port // 0
 * ```
 */
export function resolveOptions(options: LocalAuthorityOptions): ResolvedOptions {
  return parseEntry(optionsSchema, options, 'options')
}
