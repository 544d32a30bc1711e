/**
 * The page's script, part 2: the live part. It reads `/_console/state`, follows
 * `/_console/events` (server-sent events) and renders the request log (newest first), the
 * registrations and the faults, and adds or clears faults through `/_console/faults`.
 */
import { MAX_ROWS } from './state.js'

/**
 * The live part of the page's script (uses the helpers of `RENDER_SCRIPT`).
 *
 * @example
 * ```ts
 * const script = `(function () {\n${RENDER_SCRIPT}\n${LIVE_SCRIPT}\n})()`
 * ```
 */
export const LIVE_SCRIPT = `var MAX_ROWS = ${MAX_ROWS}
var seen = {}

function statusText(row) {
  if (row.status === 'dropped') return '\\u2717 dropped'
  return (row.status < 400 ? '\\u2713 ' : '\\u2717 ') + row.status
}
function whyCell(row) {
  var parts = []
  row.errors.forEach(function (e) {
    parts.push(el('p', { class: 'aadsts' }, el('strong', null, 'AADSTS' + e.code), ': ' + e.meaning),
      el('p', { class: 'hint' }, 'Hint: ' + e.hint))
  })
  if (row.note) parts.push(el('p', null, row.note.meaning), el('p', { class: 'hint' }, 'Hint: ' + row.note.hint))
  if (row.token) parts.push(rolesLine(row.token))
  var fields = Object.keys(row.fields).filter(function (k) { return k === 'scope' || k === 'resource' })
  var facts = fields.map(function (k) { return k + ' ' + row.fields[k] })
  if (row.auth) facts.push('auth ' + row.auth)
  if (row.fault) facts.push('fault ' + row.fault)
  if (facts.length) parts.push(el('p', null, el('small', null, facts.join(' \\u00b7 '))))
  return parts
}
function rowBody(row) {
  var body = el('tbody', { 'data-seq': row.seq, 'data-status': row.status, 'data-client': row.clientId,
    class: typeof row.status === 'number' && row.status < 400 ? 'ok' : 'failed' })
  body.append(el('tr', null,
    el('td', null, el('time', { datetime: new Date(row.at).toISOString() }, clock(row.at))),
    el('td', null, row.method + ' ' + row.route + (row.version ? ' ' + row.version : ''),
      row.route === 'unknown' ? [el('br'), el('small', null, row.path)] : null),
    el('td', null, row.tenantName || row.tenant || '', row.tenantName ? [el('br'), el('small', null, row.tenant)] : null),
    el('td', null, row.clientName || row.clientId || '', row.clientName ? [el('br'), el('small', null, row.clientId)] : null),
    el('td', { class: 'status' }, statusText(row)),
    el('td', null, whyCell(row))))
  if (row.token) body.append(el('tr', { class: 'detail' }, el('td', { colspan: 6 }, tokenDetails(row.token))))
  return body
}
function addRow(row) {
  if (seen[row.seq]) return
  seen[row.seq] = true
  var table = byId('log')
  var body = rowBody(row)
  var later = Array.prototype.find.call(table.tBodies, function (b) { return Number(b.dataset.seq) < row.seq })
  table.insertBefore(body, later || null)
  while (table.tBodies.length > MAX_ROWS) table.removeChild(table.tBodies[table.tBodies.length - 1])
  byId('requests-empty').hidden = true
  byId('announce').textContent = 'Request ' + row.seq + ': ' + row.route + ' ' + statusText(row)
}

function credentialText(c) {
  if (c.kind === 'secret') return 'secret ' + c.id + (c.displayName ? ' (' + c.displayName + ')' : '') + (c.expired ? ' \\u2014 EXPIRED' : '')
  if (c.kind === 'certificate') return 'certificate ' + c.thumbprint + ' ' + c.subject + ', until ' + c.notAfter.slice(0, 10)
  if (c.kind === 'subject-name') return 'subject-name trust ' + c.subject + (c.issuer ? ', issuer ' + c.issuer : '')
  return 'federated ' + c.name + ': issuer ' + c.issuer + ', subject ' + c.subject + ', audiences ' + c.audiences.join(' ')
}
function list(items, render) { return el('ul', null, items.map(function (i) { return el('li', null, render(i)) })) }
function renderRegistry(r) {
  var clients = {}
  r.clients.forEach(function (c) { clients[c.appId] = c })
  byId('registry').replaceChildren(
    el('h3', null, 'Tenants'), list(r.tenants, function (t) { return [el('strong', null, t.displayName), ' ', t.id, ' ', el('small', null, t.domains.join(', '))] }),
    el('h3', null, 'APIs'), list(r.apis, function (a) {
      return [el('strong', null, a.displayName), ' ', a.appIdUris.join(', '), ' ', el('small', null, 'app id ' + a.appId + ', v' + a.tokenVersion + ' tokens'),
        el('br'), 'app roles: ', a.appRoles.length ? a.appRoles.map(function (role) { return role.value }).join(', ') : 'none']
    }),
    el('h3', null, 'Clients'), list(r.clients, function (c) {
      return [el('strong', null, c.displayName), ' ', c.appId, c.enabled ? '' : ' \\u2014 DISABLED',
        c.credentials.length ? list(c.credentials, credentialText) : el('p', null, 'no credential')]
    }),
    el('h3', null, 'Grants'), list(r.grants, function (g) {
      return [el('strong', null, g.clientName), ' \\u2192 ', g.apiName, ': ', g.roles.join(', ') || 'no role', ' \\u00b7 ',
        g.adminConsent ? 'admin consent given' : el('strong', { class: 'warn' }, 'admin consent missing: tokens carry no roles')]
    }))
  var select = byId('fault-client')
  var chosen = select.value
  select.replaceChildren(el('option', { value: '' }, 'any client'))
  r.clients.forEach(function (c) { select.append(el('option', { value: c.appId }, c.displayName + ' ' + c.appId)) })
  select.value = clients[chosen] ? chosen : ''
}
function renderFaults(faults) {
  byId('fault-list').replaceChildren.apply(byId('fault-list'), faults.length ? faults.map(function (f) {
    var what = f.kind + (f.retryAfter !== undefined ? ', Retry-After ' + f.retryAfter : '')
    return el('li', null, what + ' \\u00b7 ' + (f.route || 'any route') + ' \\u00b7 ' + (f.clientId || 'any client') + ' \\u00b7 ' + (f.times === 'unlimited' ? 'every time' : f.times + '\\u00d7'))
  }) : [el('li', null, 'none queued')])
}

function refresh() {
  return fetch('/_console/state', { headers: { accept: 'application/json' } })
    .then(function (res) { return res.json() })
    .then(function (state) {
      byId('authority-url').textContent = state.authority.url
      renderRegistry(state.registry)
      renderFaults(state.faults)
      state.requests.forEach(addRow)
    })
}
function live(text) { byId('live').textContent = text }
var source = new EventSource('/_console/events')
source.addEventListener('open', function () { refresh().then(function () { live('live') }, function () { live('state unavailable') }) })
source.addEventListener('error', function () { live('reconnecting\\u2026') })
source.addEventListener('request', function (e) { addRow(JSON.parse(e.data)) })
source.addEventListener('registry', function (e) { renderRegistry(JSON.parse(e.data)) })
source.addEventListener('faults', function (e) { renderFaults(JSON.parse(e.data)) })

function send(method, body) {
  var status = byId('fault-status')
  return fetch('/_console/faults', { method: method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
    .then(function (res) { return res.json().then(function (json) { if (!res.ok) throw new Error(json.error); return json }) })
    .then(function (json) { renderFaults(json.faults); status.textContent = method === 'POST' ? 'Fault added.' : 'Faults cleared.' },
      function (error) { status.textContent = 'Refused: ' + error.message })
}
byId('fault-form').addEventListener('submit', function (event) {
  event.preventDefault()
  var kind = byId('fault-kind').value
  var fault = { kind: kind, route: 'token', times: Number(byId('fault-times').value) || 1 }
  if (kind !== 'drop' && byId('fault-retry-after').value !== '') fault.retryAfter = Number(byId('fault-retry-after').value)
  if (byId('fault-client').value) fault.clientId = byId('fault-client').value
  send('POST', fault)
})
byId('fault-clear').addEventListener('click', function () { send('DELETE') })
`
