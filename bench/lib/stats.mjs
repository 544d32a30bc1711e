/**
 * Small statistics and number formatting for the benchmark: median and a p10–p90 spread over
 * repetitions, and human units (ns/µs/ms, KB, counts).
 */

/**
 * The q-quantile of `values` (linear interpolation between the two nearest ranks).
 *
 * @param {number[]} values
 * @param {number} q between 0 and 1
 * @returns {number}
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

/**
 * Median and p10/p90 of repeated measurements.
 *
 * @param {number[]} values one per repetition
 * @returns {{ median: number, p10: number, p90: number, n: number }}
 */
export function summarize(values) {
  return {
    median: quantile(values, 0.5),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    n: values.length,
  }
}

/**
 * A number with three significant digits, thousands grouped (`1,234`, `12.3`, `0.456`).
 *
 * @param {number} x
 * @returns {string}
 */
export function num(x) {
  if (!Number.isFinite(x)) return String(x)
  const abs = Math.abs(x)
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US')
  if (abs >= 100) return x.toFixed(0)
  if (abs >= 10) return x.toFixed(1)
  if (abs >= 1) return x.toFixed(2)
  if (abs === 0) return '0'
  return x.toPrecision(2)
}

/**
 * A duration given in nanoseconds, in the unit that reads best (`245 ns`, `26.1 µs`, `8.20 ms`, `1.23 s`).
 *
 * @param {number} ns
 * @returns {string}
 */
export function duration(ns) {
  if (!Number.isFinite(ns)) return '—'
  if (ns < 1e3) return `${num(ns)} ns`
  if (ns < 1e6) return `${num(ns / 1e3)} µs`
  if (ns < 1e9) return `${num(ns / 1e6)} ms`
  return `${num(ns / 1e9)} s`
}

/**
 * `median (p10–p90)` of a summary, formatted with `format`; the spread is left out for one repetition
 * or when it is no wider than the median's own rounding.
 *
 * @param {{ median: number, p10: number, p90: number, n: number }} s
 * @param {(x: number) => string} format
 * @returns {string}
 */
export function spread(s, format) {
  const median = format(s.median)
  if (s.n < 2) return median
  const lo = format(s.p10)
  const hi = format(s.p90)
  if (lo === hi) return median
  const unit = (text) => text.match(/ [^\d\s,.−-]+$/)?.[0] ?? ''
  const same = unit(lo) !== '' && unit(lo) === unit(hi)
  return `${median} (${same ? lo.slice(0, -unit(lo).length) : lo}–${hi})`
}

/**
 * How many times `peer` is `ours` (`×31`, `×1.0`, `×0.52`), for costs where lower is better.
 *
 * @param {number | undefined} peer
 * @param {number | undefined} ours
 * @returns {string}
 */
export function ratio(peer, ours) {
  if (peer === undefined || ours === undefined || !Number.isFinite(peer) || !Number.isFinite(ours)) return '—'
  if (ours === 0) return peer === 0 ? '×1' : '∞'
  return `×${num(peer / ours)}`
}
