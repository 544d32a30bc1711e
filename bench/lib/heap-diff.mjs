/**
 * What a heap grew by between two V8 heap snapshots (`.heapsnapshot`, as `v8.writeHeapSnapshot`
 * writes them), by kind of object: the count and the bytes (self sizes) of each kind, after minus
 * before. Plain objects are told apart by their property names (`{promise, token, …}`), strings by
 * what they hold (a token, a cache key, a scope), so that a per-token figure can be split into the
 * objects that make it up.
 */
import { readFileSync } from 'node:fs'

/**
 * @typedef {object} KindDelta
 * @property {string} kind e.g. `object AccessToken`, `object {failures, promise, retryAt, token}`,
 *   `string: access token (600 chars)`, `number heap number`
 * @property {number} count after − before
 * @property {number} bytes after − before (self sizes)
 */

/**
 * Counts and bytes by kind in `after` minus those in `before`, largest growth first (kinds that did
 * not change left out).
 *
 * @param {string} beforeFile
 * @param {string} afterFile
 * @returns {KindDelta[]}
 * @example
 * const rows = diffHeapSnapshots('before.heapsnapshot', 'after.heapsnapshot')
 * rows[0] // { kind: 'string: access token (600 chars)', count: 10000, bytes: 6160000 }
 */
export function diffHeapSnapshots(beforeFile, afterFile) {
  const before = kindsOf(readFileSync(beforeFile, 'utf8'))
  const after = kindsOf(readFileSync(afterFile, 'utf8'))
  /** @type {KindDelta[]} */
  const out = []
  for (const [kind, a] of after) {
    const b = before.get(kind) ?? { count: 0, bytes: 0 }
    out.push({ kind, count: a.count - b.count, bytes: a.bytes - b.bytes })
  }
  for (const [kind, b] of before) {
    if (!after.has(kind)) out.push({ kind, count: -b.count, bytes: -b.bytes })
  }
  return out.filter((k) => k.count !== 0 || k.bytes !== 0).sort((x, y) => y.bytes - x.bytes)
}

/**
 * Count and self size by kind of every node of a snapshot.
 *
 * @param {string} json the snapshot's text
 * @returns {Map<string, { count: number, bytes: number }>}
 */
export function kindsOf(json) {
  const snapshot = JSON.parse(json)
  const meta = snapshot.snapshot.meta
  const nodeFields = meta.node_fields
  const edgeFields = meta.edge_fields
  const nodeTypes = meta.node_types[0]
  const edgeTypes = meta.edge_types[0]
  const { nodes, edges, strings } = snapshot
  const at = (name) => nodeFields.indexOf(name)
  const [TYPE, NAME, SIZE, EDGES] = [at('type'), at('name'), at('self_size'), at('edge_count')]
  const [EDGE_TYPE, EDGE_NAME] = [edgeFields.indexOf('type'), edgeFields.indexOf('name_or_index')]
  const property = edgeTypes.indexOf('property')
  /** @type {Map<string, { count: number, bytes: number }>} */
  const kinds = new Map()
  let edge = 0
  for (let i = 0; i < nodes.length; i += nodeFields.length) {
    const type = nodeTypes[nodes[i + TYPE]]
    const name = strings[nodes[i + NAME]]
    const edgeCount = nodes[i + EDGES]
    let kind
    if (type === 'concatenated string') {
      kind = 'string: a concatenation node (V8 cons string: two pointers, kept until flattened)'
    } else if (type === 'string' || type === 'sliced string') {
      kind = `string: ${stringKind(name)}`
    } else if (type === 'object' && name === 'Object') {
      /** @type {string[]} */
      const names = []
      for (let e = 0; e < edgeCount; e++) {
        const base = (edge + e) * edgeFields.length
        const edgeName = String(strings[edges[base + EDGE_NAME]])
        if (edges[base + EDGE_TYPE] === property && edgeName !== '__proto__') names.push(edgeName)
      }
      kind = `object {${names.sort().slice(0, 8).join(', ')}} (properties holding objects)`
    } else {
      kind = `${type} ${name.length > 60 ? `${name.slice(0, 57)}…` : name}`
    }
    edge += edgeCount
    const entry = kinds.get(kind)
    if (entry === undefined) kinds.set(kind, { count: 1, bytes: nodes[i + SIZE] })
    else {
      entry.count++
      entry.bytes += nodes[i + SIZE]
    }
  }
  return kinds
}

/**
 * What a string of the benchmark holds (the snapshot names a string node by its first characters).
 *
 * @param {string} text
 */
function stringKind(text) {
  if (/^eyJ[\w-]+\.eyJ/.test(text)) return 'access token (600 chars)'
  if (text.includes('\u0000')) return 'cache key (tenant, param, scope)'
  if (/^[0-9a-f-]{36} api:\/\//.test(text)) return 'label (tenant scope)'
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) return 'a GUID (tenant)'
  if (text.startsWith('api://bench/')) return 'scope'
  if (/^https:\/\/127\.0\.0\.1:\d+\//.test(text)) return 'token endpoint URL'
  return 'other'
}
