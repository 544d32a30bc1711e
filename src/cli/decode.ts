/**
 * `oauth-client-credentials decode <jwt|->`: a token's header and claims, times made readable, and a line per
 * known claim saying what it means. Nothing is verified: this is for looking, not trusting.
 */
import { decodeClaims } from '../claims.js'
import { parseFlags, UsageError } from './flags.js'
import { EXIT, type Io, styler } from './output.js'
import { escapeControls, printableJson } from './printable.js'

export const DECODE_HELP = `Usage: oauth-client-credentials decode <jwt | ->

Prints a JWT's header and claims (times in ISO 8601 and relative to now) and what each known claim
means. Reads the token from standard input when given '-'. Nothing is verified. Control characters
in names and values are shown escaped (\\u001b, \\r), never sent to the terminal.

Options:
  --json      print { header, claims } as JSON (errors too: one JSON object on standard error)
  -h, --help  this help`

const MEANINGS: Record<string, string> = {
  aud: 'audience: the API the token is for (v1: the App ID URI; v2: the API application id)',
  iss: 'issuer: the tenant that issued it (v1: https://sts.windows.net/{tid}/, v2: …/{tid}/v2.0)',
  sub: "subject: the client's service principal object id (= oid for app tokens)",
  oid: "object id of the client's service principal in the tenant",
  tid: 'tenant id',
  appid: 'v1: the client application id that asked for the token',
  azp: 'v2: the client application id that asked for the token',
  appidacr: 'v1: how the client authenticated: 0 public, 1 secret, 2 certificate or assertion',
  azpacr: 'v2: how the client authenticated: 0 public, 1 secret, 2 certificate or assertion',
  roles: 'app roles granted to the client (with admin consent); absent when none',
  scp: 'delegated scopes (user tokens only)',
  idtyp: '"app" for app-only (client-credentials) tokens',
  ver: 'token version: 1.0 or 2.0 (set by the API registration, not the endpoint called)',
  iat: 'issued at',
  nbf: 'not valid before',
  exp: 'expires at',
  idp: 'v1: identity provider',
  uti: 'token identifier (internal)',
  rh: 'refresh handle (internal)',
  aio: 'internal',
  xms_cc: 'client capabilities (cp1: CAE-capable)',
}
const TIME_CLAIMS = new Set(['iat', 'nbf', 'exp'])

/**
 * Runs `decode`: prints a JWT's header and claims (the token as the argument, or `-` for standard input).
 *
 * @example
 * ```ts
 * const code = await runDecode([process.env.TOKEN ?? '-', '--json'], processIo())
 * ```
 */
export async function runDecode(argv: string[], io: Io, now = Date.now()): Promise<number> {
  const { values, positionals } = parseFlags('decode', {
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help) {
    io.out(DECODE_HELP)
    return EXIT.ok
  }
  const { header, claims } = decodeJwt(await tokenFrom(positionals, io))
  if (values.json) io.out(printableJson({ header, claims }))
  else printDecoded(header, claims, io, now)
  return EXIT.ok
}

/** The one argument, or standard input for `-`. */
async function tokenFrom(positionals: string[], io: Io): Promise<string> {
  const [argument, ...extra] = positionals
  if (argument === undefined) {
    throw new UsageError(
      "a token is needed: give it as the argument, or '-' to read it from standard input.",
      {
        usage: DECODE_HELP,
      },
    )
  }
  if (extra.length > 0) throw new UsageError(`takes one token, got ${positionals.length} arguments.`)
  const input = argument === '-' ? await io.readStdin() : argument
  return input.trim().replace(/^Bearer\s+/i, '')
}

function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const header = decodePart(token.split('.')[0])
  const claims = decodeClaims(token)
  if (!header || !claims) {
    throw new UsageError(
      'not a JWT (three base64url parts with a JSON header and payload). Opaque tokens cannot be decoded.',
    )
  }
  return { header, claims }
}

/** Names and values come from the token: printed escaped (a claim can hold terminal escape sequences). */
function printDecoded(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  io: Io,
  now: number,
): void {
  const s = styler(io.color)
  const name = (key: string) => s.cyan(escapeControls(key).padEnd(10))
  io.out(s.bold('Header'))
  for (const [key, value] of Object.entries(header)) io.out(`  ${name(key)} ${printableJson(value, 0)}`)
  io.out(s.bold('Claims'))
  for (const [key, value] of Object.entries(claims)) {
    const shown =
      TIME_CLAIMS.has(key) && typeof value === 'number' ? describeTime(value, now) : printableJson(value, 0)
    const meaning = MEANINGS[key]
    io.out(`  ${name(key)} ${shown}${meaning ? `\n  ${' '.repeat(10)} ${s.dim(meaning)}` : ''}`)
  }
  io.out(s.dim('Not verified: use oauth-client-credentials/verify on the API side.'))
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function describeTime(seconds: number, now: number): string {
  const deltaSec = Math.round(seconds - now / 1000)
  const abs = Math.abs(deltaSec)
  const span =
    abs >= 3600 ? `${(abs / 3600).toFixed(1)} h` : abs >= 60 ? `${Math.round(abs / 60)} min` : `${abs} s`
  const relative = deltaSec >= 0 ? `in ${span}` : `${span} ago`
  return `${seconds} (${new Date(seconds * 1000).toISOString()}, ${relative})`
}
