/**
 * The results table: one row per measure, one column per library, the ratio of each peer to ours,
 * and the goal with whether it is met. Cells show the median over repetitions and, in brackets, the
 * p10–p90 spread.
 */
import { count, failed, met, ms, row } from './row.mjs'
import { cacheHitRows } from './rows-cache-hit.mjs'
import { noIdentityRows } from './rows-no-identity.mjs'
import { coldStartRows, firstTokenRows, footprintRows } from './rows-startup.mjs'
import { num, spread, summarize } from './stats.mjs'

/** @typedef {import('./row.mjs').Row} Row */

/**
 * Every row of the table, from the children's results.
 *
 * @param {Array<Record<string, any>>} results
 * @param {ReturnType<import('./plan.mjs').settingsFor>} settings
 * @returns {Row[]}
 */
export function buildRows(results, settings) {
  const of = (figure, lib, match = () => true) =>
    results.filter((r) => r.figure === figure && r.lib === lib && match(r))
  const one = (figure, lib, match) => of(figure, lib, match)[0]
  /** @type {Row[]} */
  const rows = []
  const ran = (figure) => results.some((r) => r.figure === figure)

  if (ran('cache-hit')) rows.push(...cacheHitRows(of, [...settings.sizes, ...settings.oursOnlySizes]))
  for (const { calls, scopes } of ran('stampede') ? settings.stampedes : []) {
    const match = (x) => x.calls === calls && x.scopes === scopes
    const label =
      scopes === 1
        ? `${count(calls)} concurrent cold calls, 1 scope`
        : `${scopes} scopes × ${count(calls)} concurrent cold calls`
    const requests = (lib) => {
      const r = one('stampede', lib, match)
      const bad = failed(r)
      if (bad) return bad
      const s = summarize(r.requests)
      const capped = r.capped ? ` sent in the first ${r.capS} s (not done)` : ''
      const errors = r.errors ? `, ${count(r.errors)} errors` : ''
      return { text: `${spread(s, count)}${capped}${errors}`, value: s.median }
    }
    const oursReq = one('stampede', 'ours', match)?.requests
    const exact = oursReq?.length > 0 && oursReq.every((x) => x === scopes)
    rows.push(
      row('2', `${label}: token requests`, requests, `${scopes} (1 per key): ${oursReq ? met(exact) : ''}`),
    )
    const wall = (lib) => {
      const r = one('stampede', lib, match)
      const bad = failed(r)
      if (bad) return bad
      if (r.capped) return { text: `> ${r.capS} s` }
      const s = summarize(r.wallMs)
      return { text: spread(s, ms), value: s.median }
    }
    rows.push(row('2', `${label}: wall time until all calls settled`, wall, ''))
  }

  if (ran('heap')) rows.push(...heapRows(of))
  if (ran('certificate')) rows.push(...certificateRows(one))
  if (ran('expiry')) rows.push(...expiryRows(one, settings))
  if (ran('interceptor')) rows.push(...interceptorRows(results))
  if (ran('faults')) rows.push(...faultRows(results, one))
  if (ran('cold-start')) rows.push(...coldStartRows(of))
  if (ran('first-token')) rows.push(...firstTokenRows(of))
  if (ran('footprint')) rows.push(...footprintRows(of))
  if (ran('no-identity')) rows.push(...noIdentityRows(results))
  return rows
}

/** Goals of issue 17: bytes per cached token at most 1.2 KB with 1,000 tokens, 1.0 KB from 10,000. */
const heapGoal = (n) => (n >= 10_000 ? 1.0 : 1.2)

/** Figure 3: one row per number of tokens cached. */
function heapRows(of) {
  const sizes = [...new Set(of('heap', 'ours').map((r) => r.n))].sort((a, b) => a - b)
  return sizes.map((n) => {
    const heap = (lib) => {
      const r = of('heap', lib, (x) => x.n === n)[0]
      const bad = failed(r)
      return bad ?? { text: `${num(r.bytesPerToken / 1024)} KB`, value: r.bytesPerToken }
    }
    const ours = of('heap', 'ours', (x) => x.n === n)[0]?.bytesPerToken
    const goal = heapGoal(n)
    return row(
      '3',
      `Heap per cached token (${count(n)} tokens of 600 characters)`,
      heap,
      `≤ ${goal.toFixed(1)} KB: ${ours === undefined ? '' : met(ours / 1024 <= goal)}`,
    )
  })
}

/** Figure 4. */
function certificateRows(one) {
  const rows = []
  const cert = (lib) => {
    const r = one('certificate', lib)
    const bad = failed(r)
    if (bad) return bad
    const s = summarize(r.msPerToken)
    return { text: spread(s, ms), value: s.median }
  }
  const certOurs = one('certificate', 'ours')?.msPerToken
  const certMsal = one('certificate', 'msal')?.msPerToken
  const certGap = certOurs && certMsal ? summarize(certOurs).median - summarize(certMsal).median : undefined
  rows.push(
    row(
      '4',
      'Forced certificate acquisition (assertion + request), per token',
      cert,
      `≤ msal-node + 0.3 ms: ${certGap === undefined ? '' : `${met(certGap <= 0.3)} (${certGap >= 0 ? '+' : '−'}${ms(Math.abs(certGap))})`}`,
    ),
  )
  const signed = (lib) => {
    const r = one('certificate', lib)
    const bad = failed(r)
    return bad ?? { text: `${count(r.assertions)} in ${count(r.requests)} requests` }
  }
  const signMs = one('certificate', 'ours')?.signMs
  rows.push(
    row(
      '4',
      'New client assertions signed',
      signed,
      signMs ? `(one RSA-PSS signature here: ${ms(signMs)})` : '',
    ),
  )
  return rows
}

/** Figure 5. */
function expiryRows(one, settings) {
  const rows = []
  const waited = (lib) => {
    const r = one('expiry', lib)
    const bad = failed(r)
    if (bad) return bad
    return { text: `${count(r.waitedAfterFirst)} of ${count(r.calls)} calls`, value: r.waitedAfterFirst }
  }
  const expiryOurs = one('expiry', 'ours')
  const hours = expiryOurs?.hours ?? settings.expiry.hours
  rows.push(
    row(
      '5',
      `${hours} h of 1-hour tokens: calls that waited on the network after the first token`,
      waited,
      `0: ${expiryOurs ? met(expiryOurs.waitedAfterFirst === 0 && !expiryOurs.errors) : ''}`,
    ),
  )
  const expiryRequests = (lib) => {
    const r = one('expiry', lib)
    const bad = failed(r)
    return (
      bad ?? {
        text: `${count(r.requests)} requests; ${count(r.waited - r.waitedAfterFirst)} callers waited for the first token`,
        value: r.requests,
      }
    )
  }
  rows.push(row('5', `${hours} h of 1-hour tokens: token requests`, expiryRequests, ''))
  return rows
}

/** Figure 6: throughput ÷ the baseline, round by round (the modes of a round ran back to back). */
function interceptorRows(results) {
  const result = (lib) => results.find((r) => r.figure === 'interceptor' && r.lib === lib)
  const ratios = (lib, mode, base) => {
    const r = result(lib)
    if (!r?.rps?.[mode]) return []
    return r.rps[mode].map((x, i) => x / r.rps[base][i])
  }
  const cpu = (lib, mode) => summarize(result(lib)?.cpuUsPerRequest?.[mode] ?? []).median
  const rps = (lib, mode) => summarize(result(lib)?.rps?.[mode] ?? []).median
  const describe = (lib, mode, base) => {
    const list = ratios(lib, mode, base)
    if (list.length === 0) return { text: failed(result(lib))?.text ?? '—' }
    const s = summarize(list)
    const extra = cpu(lib, mode) - cpu(lib, base)
    return {
      text: `${spread(s, (x) => x.toFixed(2))}: ${count(rps(lib, mode))}/s, ${extra >= 0 ? '+' : '−'}${num(Math.abs(extra))} µs CPU per request`,
      value: s.median,
    }
  }
  const median = (lib, mode, base) => summarize(ratios(lib, mode, base)).median
  // issue 17: the interceptor at least 0.97 of bare undici.request, authorizedFetch 0.95 of bare fetch
  const goal = (x, min) => `≥ ${min}: ${Number.isFinite(x) ? met(x >= min) : ''}`
  const ours = (mode, base) => (lib) => (lib === 'ours' ? describe('ours', mode, base) : { text: '' })
  const base = `bare: ${count(rps('ours', 'bare-request'))}/s, ${num(cpu('ours', 'bare-request'))} µs CPU per request`
  const fetchBase = `bare: ${count(rps('ours', 'bare-fetch'))}/s, ${num(cpu('ours', 'bare-fetch'))} µs CPU`
  const noRatio = (r) => ({ ...r, vsMsal: '', vsIdentity: '' })
  return [
    noRatio(
      row(
        '6',
        `undici.request to a loopback API, 16 in flight, ÷ bare undici.request (${base}). Ours: the interceptor; peers: their getToken on each request + the header by hand`,
        (lib) => describe(lib, lib === 'ours' ? 'interceptor' : 'manual', 'bare-request'),
        goal(median('ours', 'interceptor', 'bare-request'), 0.97),
      ),
    ),
    noRatio(
      row(
        '6',
        'the same with a fixed 600-character Authorization header, ÷ bare: what carrying any token costs here',
        ours('static-header', 'bare-request'),
        '',
      ),
    ),
    noRatio(
      row(
        '6',
        'undici.fetch with a fixed 600-character Authorization header, ÷ bare undici.fetch',
        ours('static-header-fetch', 'bare-fetch'),
        '',
      ),
    ),
    noRatio(
      row(
        '6',
        `client.authorizedFetch(…) ÷ bare undici.fetch (${fetchBase})`,
        ours('authorized-fetch', 'bare-fetch'),
        goal(median('ours', 'authorized-fetch', 'bare-fetch'), 0.95),
      ),
    ),
    ...dpopRows(result('ours'), ours, median, goal),
  ]
}

/** Figure 6, DPoP (issue 16): a DPoP-attached request ÷ a bearer one, and the proofs (signatures) per request. */
function dpopRows(result, ours, median, goal) {
  if (!result?.rps?.['dpop-fetch']) return []
  const perRequest = result.dpopProofsPerRequest
  const signatures =
    typeof perRequest === 'number' ? `${perRequest.toFixed(2)} proofs (signatures) per request` : ''
  const noRatio = (r) => ({ ...r, vsMsal: '', vsIdentity: '' })
  return [
    noRatio(
      row(
        '6',
        `DPoP (ES256): authorizedFetch of a DPoP client ÷ authorizedFetch of a bearer client; ${signatures}`,
        ours('dpop-fetch', 'authorized-fetch'),
        `≥ 0.8, ≤ 1 signature per request: ${Number.isFinite(median('ours', 'dpop-fetch', 'authorized-fetch')) ? met(median('ours', 'dpop-fetch', 'authorized-fetch') >= 0.8 && (perRequest ?? 2) <= 1) : ''}`,
      ),
    ),
    noRatio(
      row(
        '6',
        'DPoP (ES256): the interceptor of a DPoP client ÷ the interceptor of a bearer client',
        ours('dpop-interceptor', 'interceptor'),
        goal(median('ours', 'dpop-interceptor', 'interceptor'), 0.8),
      ),
    ),
  ]
}

/** Figure 7: what a caller saw of one transient 429 or 500. */
function faultRows(results, one) {
  const statuses = [
    ...new Set(results.filter((r) => r.figure === 'faults').map((r) => `${r.status}/${r.retryAfter ?? ''}`)),
  ]
  return statuses.map((key) => {
    const [status, retryAfter] = key.split('/').map((x) => (x === '' ? undefined : Number(x)))
    const match = (r) => r.status === status && r.retryAfter === retryAfter
    const cell = (lib) => {
      const r = one('faults', lib, match)
      const bad = failed(r)
      if (bad) return bad
      const got = r.tokenAtMs === undefined ? `no token within ${r.capS} s` : `token after ${ms(r.tokenAtMs)}`
      const saw = r.callerErrors
        ? `caller saw ${count(r.callerErrors)} error${r.callerErrors > 1 ? 's' : ''} (first after ${ms(r.first.ms)})`
        : 'no error'
      return {
        text: `${got}, ${saw}; ${r.requests} request${r.requests === 1 ? '' : 's'}`,
        value: r.tokenAtMs,
      }
    }
    const ours = one('faults', 'ours', match)
    const deadline = (retryAfter ?? 1) * 1000 + 250
    const ok = ours && !ours.callerErrors && ours.tokenAtMs !== undefined && ours.tokenAtMs <= deadline
    const label = `One ${status}${retryAfter === undefined ? '' : ` with Retry-After: ${retryAfter}`}, then success`
    const wait = retryAfter === undefined ? '1 s' : `Retry-After (${retryAfter} s)`
    return row('7', label, cell, `no error, token within ${wait} + 0.25 s: ${ours ? met(ok) : ''}`)
  })
}
