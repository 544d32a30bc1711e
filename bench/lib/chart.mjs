/**
 * The chart: cache-hit latency against the number of cached keys, log-log, one line per library,
 * with p10–p90 whiskers. Hand-written SVG (no dependency).
 */
import { duration } from './stats.mjs'

const WIDTH = 760
const HEIGHT = 420
const PAD = { left: 70, right: 250, top: 44, bottom: 56 }
const COLORS = { ours: '#0a7d2c', msal: '#1f5fbf', identity: '#c0392b' }

/**
 * @typedef {{ n: number, median: number, p10: number, p90: number }} Point
 */

/**
 * The SVG document.
 *
 * @param {Array<{ lib: string, name: string, points: Point[], note?: string, dashed?: boolean, color?: string }>} series
 * @param {{ title: string, subtitle: string }} text
 * @returns {string}
 */
export function cacheHitChart(series, text) {
  const all = series.flatMap((s) => s.points)
  const xs = all.map((p) => p.n)
  const ys = all.flatMap((p) => [p.p10, p.p90, p.median]).filter((y) => y > 0)
  const xMax = Math.max(10, ...xs)
  const yMin = 10 ** Math.floor(Math.log10(Math.min(100, ...ys)))
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(1000, ...ys)))
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const x = (n) => PAD.left + (Math.log10(Math.max(1, n)) / Math.log10(xMax)) * plotW
  const y = (v) =>
    PAD.top + plotH - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH

  const parts = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${xml(text.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="20" font-size="15" font-weight="600">${xml(text.title)}</text>`,
    `<text x="${PAD.left}" y="34" fill="#555">${xml(text.subtitle)}</text>`,
  )
  for (let e = 0; 10 ** e <= xMax; e++) {
    const gx = x(10 ** e)
    parts.push(
      `<line x1="${gx}" y1="${PAD.top}" x2="${gx}" y2="${PAD.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${gx}" y="${PAD.top + plotH + 16}" text-anchor="middle">${(10 ** e).toLocaleString('en-US')}</text>`,
    )
  }
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    const gy = y(10 ** e)
    parts.push(
      `<line x1="${PAD.left}" y1="${gy}" x2="${PAD.left + plotW}" y2="${gy}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 6}" y="${gy + 4}" text-anchor="end">${tick(10 ** e)}</text>`,
    )
  }
  const goal = y(1000)
  parts.push(
    `<line x1="${PAD.left}" y1="${goal}" x2="${PAD.left + plotW}" y2="${goal}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${PAD.left + plotW - 4}" y="${goal - 5}" text-anchor="end" fill="#666">goal: 1 µs</text>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">tokens cached (log scale)</text>`,
    `<text transform="translate(18 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">time per cache hit (log scale)</text>`,
  )
  series.forEach((s, i) => {
    const color = s.color ?? COLORS[s.lib] ?? '#333'
    const pts = s.points.filter((p) => p.median > 0)
    if (pts.length > 1) {
      const d = pts
        .map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.n).toFixed(1)},${y(p.median).toFixed(1)}`)
        .join(' ')
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2.5"${dash}/>`)
    }
    for (const p of pts) {
      const px = x(p.n).toFixed(1)
      parts.push(
        `<line x1="${px}" y1="${y(Math.max(p.p10, yMin)).toFixed(1)}" x2="${px}" y2="${y(Math.min(p.p90, yMax)).toFixed(1)}" stroke="${color}"/>`,
        `<circle cx="${px}" cy="${y(p.median).toFixed(1)}" r="4" fill="${color}"><title>${xml(`${s.name}: ${duration(p.median)} at ${p.n.toLocaleString('en-US')} keys`)}</title></circle>`,
      )
    }
    const ly = PAD.top + 16 + i * 40
    const lx = PAD.left + plotW + 14
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 28}" y="${ly + 4}">${xml(s.name)}</text>`,
    )
    if (s.note)
      parts.push(`<text x="${lx + 28}" y="${ly + 18}" fill="#666" font-size="10">${xml(s.note)}</text>`)
  })
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

/** An axis label for a power of ten nanoseconds: `100 ns`, `1 µs`, `10 ms`. */
function tick(ns) {
  const [unit, scale] = ns >= 1e6 ? ['ms', 1e6] : ns >= 1e3 ? ['µs', 1e3] : ['ns', 1]
  return `${ns / scale} ${unit}`
}

/** @param {string} s */
function xml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
