/**
 * One row of the results table and the helpers every group of rows shares: a cell per library, the
 * ratio of each peer to ours, "not measured" cells for children that did not produce a figure, and
 * the goal marks.
 */
import { duration, ratio } from './stats.mjs'

/**
 * @typedef {object} Row
 * @property {string} figure
 * @property {string} measure
 * @property {string} ours
 * @property {string} msal
 * @property {string} identity
 * @property {string} vsMsal
 * @property {string} vsIdentity
 * @property {string} goal
 */

/** The peers, in column order. */
export const PEERS = ['msal', 'identity']

/** A count with thousands grouped (`10,000`). @param {number} x */
export const count = (x) => Math.round(x).toLocaleString('en-US')

/** Milliseconds in the unit that reads best (`1.77 ms`, `245 µs`). @param {number} x */
export const ms = (x) => duration(x * 1e6)

/** `**met**` or `**missed**`. @param {boolean} ok */
export const met = (ok) => (ok ? '**met**' : '**missed**')

/**
 * Builds a row from a cell function and an optional comparable number per library.
 *
 * @param {string} figure
 * @param {string} measure
 * @param {(lib: string) => { text: string, value?: number }} cell
 * @param {string} goal
 * @returns {Row}
 * @example row('3', 'Heap per cached token', (lib) => ({ text: '1.2 KB', value: 1200 }), '≤ 1.2 KB')
 */
export function row(figure, measure, cell, goal) {
  const cells = Object.fromEntries(['ours', ...PEERS].map((lib) => [lib, cell(lib)]))
  return {
    figure,
    measure,
    ours: cells.ours.text,
    msal: cells.msal.text,
    identity: cells.identity.text,
    vsMsal: ratio(cells.msal.value, cells.ours.value),
    vsIdentity: ratio(cells.identity.value, cells.ours.value),
    goal,
  }
}

/**
 * A cell for a child that did not produce a figure (skipped, killed, failed, not run), or undefined.
 *
 * @param {Record<string, any> | undefined} result
 * @returns {{ text: string } | undefined}
 */
export function failed(result) {
  if (!result) return { text: '—' }
  if (result.skipped) return { text: `not measured (${result.skipped})` }
  if (result.timedOut) return { text: `not measured (killed after ${result.timeoutS} s)` }
  if (result.error) return { text: `failed: ${String(result.error).split('\n').at(-1)?.slice(0, 80)}` }
  return undefined
}
