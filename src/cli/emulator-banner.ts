/**
 * What `oauth-client-credentials emulator` prints once listening: endpoints and issuers per tenant, the
 * APIs, a ready-to-paste `export AZURE_…` line per client (what `TokenClient.fromEnvironment()` reads),
 * the registered certificates, and the verifier settings that accept the tokens.
 */
import { issuerFor } from '../testing/entra/clouds.js'
import type { ClientRecord, GrantInput, LocalAuthority, RegistryInput } from '../testing/index.js'
import type { styler } from './output.js'

/** What the banner describes. */
export interface BannerInput {
  authority: LocalAuthority
  /** The registry the authority was started with (its grants are listed per client). */
  registry: RegistryInput
  issuer: 'cloud' | 'local'
  style: ReturnType<typeof styler>
}

/**
 * The banner's lines.
 *
 * @example
 * ```ts
 * for (const line of emulatorBanner({ authority, registry, issuer: 'local', style: styler(false) })) io.out(line)
 * ```
 */
export function emulatorBanner(input: BannerInput): string[] {
  const { authority, style } = input
  return [
    `${style.bold('Local authority')} listening at ${authority.url}`,
    ...(authority.consoleUrl
      ? [
          `  console     ${authority.consoleUrl} ${style.dim('(requests live, registrations, faults, decode)')}`,
        ]
      : []),
    ...authority.tenants.list().flatMap((tenant) => tenantLines(input, tenant.id, tenant.domains)),
    ...authority.apis.list().map((api) => {
      const roles = api.appRoles.map((role) => role.value).join(', ') || 'none'
      return `  api ${api.displayName} ${api.appId} ${style.dim(`${api.appIdUris.join(', ')}; app roles ${roles}`)}`
    }),
    style.bold(
      'Clients (test-only secrets): paste a line into another shell, then TokenClient.fromEnvironment()',
    ),
    ...authority.clients.list().flatMap((client) => clientLines(input, client)),
    ...verifierLines(input),
  ]
}

function tenantLines(input: BannerInput, tenantId: string, domains: string[]): string[] {
  const { authority } = input
  const settings = { cloud: 'AzurePublic' as const, mode: input.issuer, localUrl: authority.url }
  return [
    `  tenant ${tenantId} ${input.style.dim(domains.join(', '))}`,
    `    token (v2)  ${authority.tokenEndpoint(tenantId, 'v2')}`,
    `    token (v1)  ${authority.tokenEndpoint(tenantId, 'v1')}`,
    `    metadata    ${authority.metadataUrl(tenantId, 'v2')}`,
    `    jwks        ${authority.jwksUrl(tenantId, 'v2')}`,
    `    issuers     ${issuerFor(settings, tenantId, 2)} (v2), ${issuerFor(settings, tenantId, 1)} (v1)`,
  ]
}

function clientLines(input: BannerInput, client: ClientRecord): string[] {
  const lines = [`# ${client.displayName}: ${describeGrants(input.registry, client.appId)}`]
  if (!client.enabled) lines[0] += ' (disabled: its requests are refused with AADSTS7000112)'
  for (const certificate of client.certificates) {
    const subject = certificate.x509.subject.split('\n').join(', ')
    const thumbprint = certificate.thumbprintSha1.toString('hex').toUpperCase()
    const until = new Date(certificate.x509.validTo).toISOString().slice(0, 10)
    const name = certificate.displayName ? ` ${certificate.displayName}` : ''
    lines.push(`#   certificate${name}: ${subject}, thumbprint ${thumbprint}, valid until ${until}`)
  }
  const secret = client.secrets[0]?.value
  if (secret === undefined) {
    lines.push(
      client.certificates.length > 0
        ? '#   with a certificate: AZURE_CLIENT_CERTIFICATE_PATH=<a PEM file holding its key and certificate>'
        : '#   no secret registered: add one to the registry, or a certificate',
    )
    return lines
  }
  const variables = {
    AZURE_TENANT_ID: client.tenant,
    AZURE_CLIENT_ID: client.appId,
    AZURE_CLIENT_SECRET: secret,
    AZURE_AUTHORITY_HOST: input.authority.url,
  }
  const assignments = Object.entries(variables).map(([name, value]) => `${name}=${shellQuote(value)}`)
  lines.push(`export ${assignments.join(' ')}`)
  return lines
}

/** The client's grants as given in the registry, e.g. `Admin on api://myapis/mywebapi`. */
function describeGrants(registry: RegistryInput, appId: string): string {
  const grants = (registry.grants ?? []).filter((grant) => grant.clientId.toLowerCase() === appId)
  if (grants.length === 0) return 'no app roles granted'
  return grants.map(describeGrant).join('; ')
}

function describeGrant(grant: GrantInput): string {
  const roles = (grant.roles ?? []).join(', ') || 'no roles'
  const tenant = grant.tenant === undefined ? '' : ` in ${grant.tenant}`
  const consent = grant.adminConsent === false ? ', no admin consent: its tokens carry no roles' : ''
  return `${roles} on ${grant.api}${tenant}${consent}`
}

/** The `createTokenVerifier` options that accept this authority's tokens for each API. */
function verifierLines(input: BannerInput): string[] {
  const { authority } = input
  const apis = authority.apis.list()
  if (apis.length === 0) return []
  const lines = [
    input.style.bold('Web API (oauth-client-credentials/verify): a verifier that accepts these tokens'),
  ]
  for (const api of apis) {
    const audience = [...api.appIdUris, api.appId].map((value) => `'${value}'`).join(', ')
    const keys =
      input.issuer === 'local'
        ? `authorityHost: '${authority.url}'`
        : `jwksUri: '${authority.jwksUrl(api.tenant, 'v2')}'` // real Entra issuers, local keys
    lines.push(`  createTokenVerifier({ tenant: '${api.tenant}', audience: [${audience}], ${keys} })`)
  }
  return lines
}

/** `value` as one POSIX shell word: bare when it holds only safe characters, else single-quoted. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(value) ? value : `'${value.split("'").join(`'\\''`)}'`
}
