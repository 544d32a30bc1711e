/**
 * Figure 11's rows: no identity, time to error — how long each library takes to say that there is no
 * managed identity, with IMDS on a closed loopback port and on one that accepts and never answers
 * (issue 15: under 1.5 s; the peers' users report 10–25 s).
 */
import { failed, met, ms, row } from './row.mjs'

/** The goal of issue 15. */
export const SAY_NO_WITHIN_MS = 1_500

const PORTS = {
  closed: 'a closed loopback port (connection refused)',
  silent: 'a loopback port that accepts and never answers',
}

/**
 * One row per port kind that ran.
 *
 * @param {Array<Record<string, any>>} results
 * @returns {import('./row.mjs').Row[]}
 */
export function noIdentityRows(results) {
  const of = (lib, port) =>
    results.find((r) => r.figure === 'no-identity' && r.lib === lib && r.port === port)
  const ports = Object.keys(PORTS).filter((port) =>
    results.some((r) => r.figure === 'no-identity' && r.port === port),
  )
  return ports.map((port) => {
    const cell = (lib) => {
      const r = of(lib, port)
      const bad = failed(r)
      if (bad) return bad
      if (r.capped) return { text: `no answer after ${r.capS} s` }
      if (r.token) return { text: `a token?! (${ms(r.ms)})`, value: r.ms }
      return { text: `${ms(r.ms)} (${r.code ?? r.errorName})`, value: r.ms }
    }
    const ours = of('ours', port)
    const ok =
      ours !== undefined && !failed(ours) && !ours.capped && !ours.token && ours.ms < SAY_NO_WITHIN_MS
    return row(
      '11',
      `No identity: time to error, IMDS on ${PORTS[port]}`,
      cell,
      `< ${SAY_NO_WITHIN_MS / 1000} s: ${ours ? met(ok) : ''}`,
    )
  })
}
