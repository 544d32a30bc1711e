/**
 * Figure 11 (bench/figures/no-identity.mjs, bench/lib/rows-no-identity.mjs): "no identity: time to
 * error" rows from the children's results — a row per port kind, a capped peer shown as such, and the
 * issue 15 goal (under 1.5 s) marked met or missed from ours.
 */
import { describe, expect, it } from 'vitest'

interface Row {
  readonly figure: string
  readonly measure: string
  readonly ours: string
  readonly msal: string
  readonly identity: string
  readonly goal: string
}
interface RowsModule {
  noIdentityRows(results: Record<string, unknown>[]): Row[]
}
interface PlanModule {
  planJobs(
    quick: boolean,
    figures: string[],
  ): Array<{ figure: string; lib: string; args: Record<string, unknown>; timeoutS: number }>
}

const bench = (file: string) => new URL(`../../bench/lib/${file}`, import.meta.url).href
const { noIdentityRows }: RowsModule = await import(bench('rows-no-identity.mjs'))
const { planJobs }: PlanModule = await import(bench('plan.mjs'))

const result = (lib: string, port: string, extra: Record<string, unknown>) => ({
  figure: 'no-identity',
  lib,
  port,
  capS: 30,
  ...extra,
})

describe('figure 11: no identity, time to error', () => {
  it('renders one row per port, capped peers as "no answer", and marks the goal from ours', () => {
    const rows = noIdentityRows([
      result('ours', 'closed', { ms: 117, code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE' }),
      result('msal', 'closed', { ms: 144, errorName: 'NetworkError' }),
      result('identity', 'closed', { ms: 6190, errorName: 'CredentialUnavailableError' }),
      result('ours', 'silent', { ms: 1800, code: 'ERR_MANAGED_IDENTITY_UNAVAILABLE' }),
      result('msal', 'silent', { capped: true, ms: 30_000 }),
      result('identity', 'silent', { capped: true, ms: 30_000 }),
    ])
    expect(rows.map((row) => row.measure)).toEqual([
      'No identity: time to error, IMDS on a closed loopback port (connection refused)',
      'No identity: time to error, IMDS on a loopback port that accepts and never answers',
    ])
    expect(rows[0]?.ours).toContain('ERR_MANAGED_IDENTITY_UNAVAILABLE')
    expect(rows[0]?.identity).toContain('CredentialUnavailableError')
    expect(rows[0]?.goal).toBe('< 1.5 s: **met**')
    expect(rows[1]?.msal).toBe('no answer after 30 s')
    expect(rows[1]?.goal).toBe('< 1.5 s: **missed**')
  })

  it('runs every library on both ports, each child capped at 30 s', () => {
    const jobs = planJobs(true, ['no-identity'])
    expect(jobs.map((job) => `${job.lib} ${String(job.args.port)}`)).toEqual([
      'ours closed',
      'msal closed',
      'identity closed',
      'ours silent',
      'msal silent',
      'identity silent',
    ])
    expect(jobs.every((job) => job.args.cap === 30 && job.timeoutS > 30)).toBe(true)
  })
})
