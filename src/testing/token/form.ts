/**
 * Reading a token request: the form body (only `application/x-www-form-urlencoded` counts: a JSON
 * body or query parameters leave it empty, hence AADSTS900144) and HTTP Basic client credentials
 * (RFC 6749 §2.3.1: id and secret form-urlencoded before base64).
 */

/**
 * The parameters and Basic credentials of one token request.
 *
 * @example
 * ```ts
 * parseTokenForm(req.headers['content-type'], body, req.headers.authorization).fields.get('scope')
 * ```
 */
export interface TokenForm {
  /** Form fields (first occurrence of each name). */
  fields: ReadonlyMap<string, string>
  /** Client id and secret from an `Authorization: Basic` header. */
  basic?: { clientId: string; secret: string }
  /** The `DPoP` header(s) of the request (RFC 9449 proofs), as sent. */
  dpop?: readonly string[]
}

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
/**
 * Parses a token request body and `Authorization` header (the client writes them with its own
 * code: the token request's form, HTTP Basic in `src/credentials/secret.ts`).
 *
 * @example
 * ```ts
 * parseTokenForm('application/x-www-form-urlencoded', Buffer.from('grant_type=client_credentials'), undefined)
 *   .fields.get('grant_type') // 'client_credentials'
 * ```
 */
export function parseTokenForm(
  contentType: string | undefined,
  body: Buffer,
  authorization: string | undefined,
): TokenForm {
  const fields = new Map<string, string>()
  if (isFormContentType(contentType)) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
      if (!fields.has(name)) fields.set(name, value)
    }
  }
  const basic = parseBasic(authorization)
  return basic ? { fields, basic } : { fields }
}

function isFormContentType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

function parseBasic(authorization: string | undefined): TokenForm['basic'] {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  const clientId = formDecode(decoded.slice(0, colon))
  const secret = formDecode(decoded.slice(colon + 1))
  return clientId === undefined || secret === undefined ? undefined : { clientId, secret }
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

/**
 * The client id a request claims (Basic header first, then `client_id`), for logs and faults.
 *
 * @example
 * ```ts
 * claimedClientId(form) // '55b2a7ec-…' or undefined
 * ```
 */
export function claimedClientId(form: TokenForm): string | undefined {
  return (form.basic?.clientId ?? form.fields.get('client_id'))?.toLowerCase()
}
