/**
 * `WWW-Authenticate` challenges (RFC 9110 §11.6.1) and what the attach layer reads from them: the claims
 * of a CAE challenge (and later DPoP nonces).
 */

/**
 * One challenge of a `WWW-Authenticate` header: its scheme (lower case) and parameters (names lower case).
 *
 * @example
 * ```ts
 * const challenge: Challenge = { scheme: 'bearer', params: { error: 'invalid_token' } }
 * ```
 */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y
const QUOTED = /"((?:[^"\\]|\\.)*)"/y
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/y
const SEPARATORS = /[\s,]*/y
const SPACES = /\s*/y

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at
  return re.exec(text)
}

/**
 * The challenges of a `WWW-Authenticate` header (RFC 9110 §11.6.1), several headers joined by commas
 * as `Headers.get` joins them. Unparsable text ends the list; nothing throws.
 *
 * @example
 * ```ts
 * parseChallenges('Bearer realm="api", error="invalid_token", Basic realm="x"')
 * // [{ scheme: 'bearer', params: { realm: 'api', error: 'invalid_token' } }, { scheme: 'basic', params: { realm: 'x' } }]
 * ```
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = []
  let current: Challenge | undefined
  let at = matchAt(SEPARATORS, header, 0)?.[0].length ?? 0
  while (at < header.length) {
    const name = matchAt(TOKEN, header, at)?.[0]
    if (name === undefined) break
    at = TOKEN.lastIndex + (matchAt(SPACES, header, TOKEN.lastIndex)?.[0].length ?? 0)
    if (current !== undefined && header[at] === '=' && header[at + 1] !== '=') {
      at += 1 + (matchAt(SPACES, header, at + 1)?.[0].length ?? 0)
      const quoted = matchAt(QUOTED, header, at)
      const value = quoted ? quoted[1]?.replace(/\\(.)/g, '$1') : matchAt(TOKEN, header, at)?.[0]
      if (value === undefined) break
      current.params[name.toLowerCase()] ??= value
      at = (quoted ? QUOTED : TOKEN).lastIndex
    } else {
      current = { scheme: name.toLowerCase(), params: {} }
      challenges.push(current)
      if (matchAt(TOKEN68, header, at)) at = TOKEN68.lastIndex
    }
    at += matchAt(SEPARATORS, header, at)?.[0].length ?? 0
  }
  return challenges
}

/**
 * The claims asked for by a CAE challenge (`Bearer error="insufficient_claims", claims="<base64 JSON>"`),
 * decoded to the JSON text that `getToken(resource, { claims })` takes; `undefined` when the header
 * holds no such challenge or its claims are not base64 of a JSON object.
 *
 * @example
 * ```ts
 * claimsChallenge('Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="')
 * // '{"access_token":{}}'
 * ```
 */
export function claimsChallenge(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const bearer = parseChallenges(header).find(
    (c) => c.scheme === 'bearer' && c.params.error === 'insufficient_claims' && c.params.claims,
  )
  const encoded = bearer?.params.claims
  if (encoded === undefined || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) return undefined
  const json = Buffer.from(encoded, 'base64').toString('utf8')
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? json : undefined
  } catch {
    return undefined
  }
}
