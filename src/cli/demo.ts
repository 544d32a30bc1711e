/**
 * `oauth-client-credentials demo` (`npm start`): the whole story on the embedded local authority — tokens
 * with a secret and a certificate, a token's anatomy, the cache, a protected API through
 * `authorizedFetch`, and an error with its hint.
 */
import { decodeClaims } from '../claims.js'
import { TokenClient } from '../client.js'
import { AuthorityError } from '../errors.js'
import { EXAMPLE, generateCertificate, type LocalAuthority, startLocalAuthority } from '../testing/index.js'
import { startDemoApi } from './demo-api.js'
import { formatInstant, isoSeconds, relativeTime, wrapText } from './demo-format.js'
import { parseFlags } from './flags.js'
import { EXIT, type Io, styler } from './output.js'

export const DEMO_HELP = `Usage: oauth-client-credentials demo

Starts a local Entra ID authority (an emulator on 127.0.0.1) with the example registration — an API
api://myapis/mywebapi with app roles Admin and ReadOnly, and three clients — then gets tokens with a
secret and with a certificate, shows a token's anatomy and the cache at work, calls a protected API,
and shows an error with its hint. Nothing leaves this machine.

Options:
  -h, --help  this help`

const CLAIMS_SHOWN = [
  'aud',
  'iss',
  'sub',
  'appid',
  'azp',
  'appidacr',
  'azpacr',
  'roles',
  'tid',
  'ver',
  'idtyp',
  'exp',
]

type Style = ReturnType<typeof styler>

/** Runs the demo. */
export async function runDemo(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('demo', { args: argv, options: { help: { type: 'boolean', short: 'h' } } })
  if (values.help) {
    io.out(DEMO_HELP)
    return EXIT.ok
  }
  const s = styler(io.color)
  const started = Date.now()
  const authority = await startLocalAuthority({ issuer: 'local' })
  const api = await startDemoApi(authority.url, EXAMPLE.tenantId, [EXAMPLE.api.uri, EXAMPLE.api.appId])
  try {
    io.out(s.bold('oauth-client-credentials demo'))
    io.out(s.dim(`  local authority at ${authority.url}, protected API at ${api.url}`))
    const admin = secretClient(authority, EXAMPLE.clients.admin)
    await secretStep(io, s, authority, admin)
    await certificateStep(io, s, authority)
    await apiStep(io, s, authority, admin, api.url)
    await errorStep(io, s, authority)
    io.out(`\n${s.green('✓')} done in ${Date.now() - started} ms`)
    return EXIT.ok
  } finally {
    await api.close()
    await authority.close()
  }
}

function secretClient(authority: LocalAuthority, who: { appId: string; secret: string }): TokenClient {
  return new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: who.appId,
    credential: { clientSecret: who.secret },
  })
}

async function secretStep(io: Io, s: Style, authority: LocalAuthority, admin: TokenClient): Promise<void> {
  io.out(
    `\n${s.bold('1. A token with a client secret')} ${s.dim('(client "admin", granted Admin with admin consent)')}`,
  )
  const token = await admin.getToken(EXAMPLE.api.uri)
  const now = Date.now()
  io.out(`   scope       ${token.scope}`)
  io.out(`   expires     ${formatInstant(token.expiresAt, now)}`)
  io.out(`   refreshed   from ${formatInstant(token.refreshAt, now)}, in the background, while it serves`)
  io.out(`   ${s.bold('anatomy')} ${s.dim('(decoded, not verified: the API verifies)')}`)
  const claims = decodeClaims(token.accessToken) ?? {}
  for (const name of CLAIMS_SHOWN) {
    if (claims[name] !== undefined)
      io.out(`     ${s.cyan(name.padEnd(9))} ${claimText(claims[name], name, now)}`)
  }
  const afterFirst = authority.counters.token
  const again = await admin.getToken(EXAMPLE.api.uri)
  io.out(`   second call: ${again === token ? 'the same token, from the cache' : 'a new token'}`)
  const afterSecond = authority.counters.token
  io.out(
    `   token requests received by the authority: ${afterFirst} after the first call, ${afterSecond === afterFirst ? 'still ' : ''}${afterSecond} after the second`,
  )
}

/** A claim as JSON; `exp`, `nbf` and `iat` (epoch seconds) also as ISO 8601 and relative. */
function claimText(value: unknown, name: string, now: number): string {
  if (typeof value !== 'number' || !['exp', 'nbf', 'iat'].includes(name)) return JSON.stringify(value)
  const at = value * 1000
  return `${value} (${isoSeconds(at)}, ${relativeTime(at, now)})`
}

async function certificateStep(io: Io, s: Style, authority: LocalAuthority): Promise<void> {
  io.out(
    `\n${s.bold('2. A token with a certificate')} ${s.dim('(a signed JWT client assertion, PS256, x5t#S256)')}`,
  )
  const cert = await generateCertificate({ commonName: 'demo-daemon', validDays: 30 })
  authority.clients.addCertificate(EXAMPLE.clients.reader.appId, cert.certificatePem)
  const client = new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients.reader.appId,
    credential: { certificate: { privateKey: cert.privateKeyPem, certificate: cert.certificatePem } },
  })
  const token = await client.getToken(EXAMPLE.api.uri)
  const claims = token.claims ?? {}
  io.out(
    `   client "reader" authenticated with ${claims.appidacr === '2' || claims.azpacr === '2' ? 'a certificate (appidacr "2")' : 'a secret'}; roles ${JSON.stringify(claims.roles)}`,
  )
}

async function apiStep(
  io: Io,
  s: Style,
  authority: LocalAuthority,
  admin: TokenClient,
  apiUrl: string,
): Promise<void> {
  io.out(
    `\n${s.bold('3. Calling a protected API through authorizedFetch')} ${s.dim('(GET: ReadOnly or Admin; DELETE: Admin)')}`,
  )
  const reader = secretClient(authority, EXAMPLE.clients.reader)
  const unconsented = secretClient(authority, EXAMPLE.clients.unconsented)
  const calls: Array<[string, TokenClient, string]> = [
    ['admin       GET   ', admin, 'GET'],
    ['admin       DELETE', admin, 'DELETE'],
    ['reader      GET   ', reader, 'GET'],
    ['reader      DELETE', reader, 'DELETE'],
    ['unconsented GET   ', unconsented, 'GET'],
  ]
  for (const [label, client, method] of calls) {
    const api = client.authorizedFetch({ resource: EXAMPLE.api.uri, origins: [apiUrl] })
    const res = await api(`${apiUrl}/orders${method === 'DELETE' ? '/1' : ''}`, { method })
    const outcome = res.ok ? s.green(`${res.status}`) : s.red(`${res.status}`)
    io.out(`   ${label} → ${outcome}`)
    const challenge = res.headers.get('www-authenticate')
    if (challenge)
      for (const line of wrapText(`      ${challenge}`, { indent: '        ' })) io.out(s.dim(line))
    await res.body?.cancel()
  }
  await explainUnconsented(io, unconsented)
}

/** Why the unconsented client was refused: its token, issued all the same, carries no `roles`. */
async function explainUnconsented(io: Io, unconsented: TokenClient): Promise<void> {
  const token = await unconsented.getToken(EXAMPLE.api.uri)
  const explanation =
    token.claims?.roles === undefined
      ? '   unconsented: its token has no roles claim: ReadOnly was granted without admin consent, and ' +
        'Entra (as this emulator) then issues the token without roles; an admin consent fixes it.'
      : `   unconsented: its token carries roles ${JSON.stringify(token.claims.roles)}`
  for (const line of wrapText(explanation, { indent: '     ' })) io.out(line)
}

async function errorStep(io: Io, s: Style, authority: LocalAuthority): Promise<void> {
  io.out(`\n${s.bold('4. A wrong secret')} ${s.dim("(the Secret ID sent instead of the secret's Value)")}`)
  const wrong = secretClient(authority, {
    appId: EXAMPLE.clients.admin.appId,
    secret: EXAMPLE.clients.admin.secretId,
  })
  try {
    await wrong.getToken(EXAMPLE.api.uri)
    io.out(s.red('   unexpectedly got a token'))
  } catch (error) {
    if (!(error instanceof AuthorityError)) throw error
    io.out(`   ${s.red(error.code)} ${error.status} ${error.error} AADSTS${error.aadstsCodes.join(', ')}`)
    const [first = '', ...rest] = wrapText(`   hint ${error.hint}`, { indent: '        ' })
    io.out(first.replace('hint', s.yellow('hint')))
    for (const line of rest) io.out(line)
  }
}
