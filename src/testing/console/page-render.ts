/**
 * The page's script, part 1: building elements (text only: the page never parses HTML, and its CSP
 * lets no string become markup), claims tables with what each claim means, and the decode box, which
 * decodes a pasted JWT in the page and sends it nowhere.
 *
 * The script is plain browser JavaScript kept as text: it is served inline, pinned by its hash.
 */
import { CLAIM_MEANINGS, TIME_CLAIMS } from './claim-meanings.js'

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c')
}

/**
 * The rendering helpers of the page's script.
 *
 * @example
 * ```ts
 * const script = `(function () {\n${RENDER_SCRIPT}\n${LIVE_SCRIPT}\n})()`
 * ```
 */
export const RENDER_SCRIPT = `'use strict'
var MEANINGS = ${scriptJson(CLAIM_MEANINGS)}
var TIME_CLAIMS = ${scriptJson(TIME_CLAIMS)}

function el(tag, attrs) {
  var node = document.createElement(tag)
  var key
  for (key in attrs || {}) if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, String(attrs[key]))
  for (var i = 2; i < arguments.length; i++) append(node, arguments[i])
  return node
}
function append(node, child) {
  if (child === undefined || child === null || child === false) return
  if (Array.isArray(child)) { child.forEach(function (c) { append(node, c) }); return }
  node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)))
}
function byId(id) { return document.getElementById(id) }
function pad(n, width) { var s = String(n); while (s.length < (width || 2)) s = '0' + s; return s }
function clock(ms) {
  var d = new Date(ms)
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3)
}
function relative(seconds) {
  var delta = Math.round((seconds * 1000 - Date.now()) / 60000)
  if (delta === 0) return 'now'
  return delta > 0 ? 'in ' + delta + ' min' : -delta + ' min ago'
}
function shownValue(name, value) {
  if (name === 'roles' && Array.isArray(value))
    return value.map(function (role, i) { return [i ? ', ' : '', el('mark', { class: 'role' }, role)] })
  if (TIME_CLAIMS.indexOf(name) >= 0 && typeof value === 'number')
    return [String(value), ' ', el('small', null, '(' + new Date(value * 1000).toISOString() + ', ' + relative(value) + ')')]
  return typeof value === 'string' ? value : JSON.stringify(value)
}
function claimsTable(caption, claims, extra) {
  var rows = Object.keys(claims).map(function (name) {
    return el('tr', { class: name === 'roles' ? 'roles' : null },
      el('th', { scope: 'row' }, el('code', null, name)),
      el('td', null, shownValue(name, claims[name])),
      el('td', null, MEANINGS[name] || ''))
  })
  if (extra) rows.push(extra)
  return el('table', { class: 'claims' }, el('caption', null, caption),
    el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Claim'), el('th', { scope: 'col' }, 'Value'),
      el('th', { scope: 'col' }, 'Meaning'))),
    el('tbody', null, rows))
}
function rolesLine(token) {
  if (token.roles.length > 0)
    return el('p', { class: 'roles-line' }, 'roles: ', shownValue('roles', token.roles))
  return el('p', { class: 'no-roles' }, el('span', { 'aria-hidden': 'true' }, '\\u26a0 '), token.rolesNote || 'no roles')
}
function tokenDetails(token) {
  var missing = token.roles.length === 0
    ? el('tr', { class: 'roles' }, el('th', { scope: 'row' }, el('code', null, 'roles')),
        el('td', null, '(absent)'), el('td', null, token.rolesNote || ''))
    : null
  return el('details', { class: 'token' },
    el('summary', null, 'Token issued: header and claims (the token itself and its signature are never shown)'),
    claimsTable('Header', token.header), claimsTable('Claims', token.claims, missing))
}

function b64urlJson(part) {
  var base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  while (base64.length % 4) base64 += '='
  var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0) })
  var value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object')
  return value
}
function decodeJwt(text) {
  var compact = text.trim().replace(/^(Bearer|DPoP|mtls_pop)\\s+/i, '')
  var parts = compact.split('.')
  if (parts.length === 5) throw new Error('an encrypted token (JWE): only its audience can read it')
  if (parts.length !== 3) throw new Error('not a JWT: a JWT has three parts separated by dots (header.payload.signature)')
  try { return { header: b64urlJson(parts[0]), claims: b64urlJson(parts[1]) } }
  catch (e) { throw new Error('not a JWT: its header or payload is not base64url-encoded JSON') }
}
function showDecoded() {
  var output = byId('decode-output')
  var text = byId('decode-input').value
  output.replaceChildren()
  if (text.trim() === '') return
  try {
    var decoded = decodeJwt(text)
    var roles = Array.isArray(decoded.claims.roles) ? decoded.claims.roles : []
    output.append(
      el('p', null, roles.length ? ['roles: ', shownValue('roles', roles)] : 'no roles claim: the client has no app role granted with admin consent'),
      claimsTable('Header', decoded.header), claimsTable('Claims', decoded.claims),
      el('p', null, el('small', null, 'Signature not shown and not verified: this box only decodes.')))
  } catch (error) {
    output.append(el('p', { class: 'error', role: 'alert' }, error.message))
  }
}
byId('decode-input').addEventListener('input', showDecoded)
`
