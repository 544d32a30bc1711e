/**
 * The console page: one self-contained HTML document (no external script, font or style) whose
 * inline script and style are pinned by their hashes in a strict `Content-Security-Policy`.
 */
import { createHash } from 'node:crypto'
import { LIVE_SCRIPT } from './page-live.js'
import { RENDER_SCRIPT } from './page-render.js'
import { PAGE_STYLE } from './page-style.js'

const SCRIPT = `(function () {\n${RENDER_SCRIPT}\n${LIVE_SCRIPT}\n})()\n`

const BODY = `<a class="skip" href="#requests">Skip to the request log</a>
<header>
  <h1>Local authority console</h1>
  <p>Authority <code id="authority-url"></code> &middot; <span id="live" role="status">connecting&hellip;</span></p>
  <nav aria-label="Sections"><a href="#requests">Requests</a><a href="#registrations">Registrations</a><a href="#faults">Faults</a><a href="#decode">Decode a token</a></nav>
</header>
<main>
  <section id="requests" aria-labelledby="requests-title">
    <h2 id="requests-title">Requests <small>newest first, live</small></h2>
    <p id="requests-empty">No request yet: point a client at a token endpoint of this authority.</p>
    <table id="log">
      <caption class="visually-hidden">Requests the local authority received, newest first</caption>
      <thead><tr><th scope="col">Time</th><th scope="col">Route</th><th scope="col">Tenant</th><th scope="col">Client</th><th scope="col">Status</th><th scope="col">Why</th></tr></thead>
    </table>
    <p id="announce" class="visually-hidden" aria-live="polite"></p>
  </section>
  <aside aria-label="Registrations, faults and the decode box">
    <section id="registrations" aria-labelledby="registrations-title">
      <h2 id="registrations-title">Registrations</h2>
      <div id="registry"></div>
      <p><small>Secrets are shown by their Secret ID only, certificates by thumbprint.</small></p>
    </section>
    <section id="faults" aria-labelledby="faults-title">
      <h2 id="faults-title">Faults</h2>
      <ul id="fault-list"><li>none queued</li></ul>
      <form id="fault-form">
        <label for="fault-kind">Fault</label>
        <select id="fault-kind">
          <option value="status429">429 Too Many Requests, with Retry-After</option>
          <option value="status503">503 temporarily unavailable (AADSTS90033)</option>
          <option value="drop">a dropped connection</option>
        </select>
        <label for="fault-retry-after">Retry-After (s)</label>
        <input id="fault-retry-after" type="number" min="0" value="5">
        <label for="fault-times">Times</label>
        <input id="fault-times" type="number" min="1" max="100" value="1">
        <label for="fault-client">Client</label>
        <select id="fault-client"><option value="">any client</option></select>
        <div class="buttons"><button type="submit">Add fault</button><button type="button" id="fault-clear">Clear faults</button></div>
      </form>
      <p id="fault-status" role="status"></p>
    </section>
    <section id="decode" aria-labelledby="decode-title">
      <h2 id="decode-title">Decode a token</h2>
      <p><small>Decoded in this page only: the token is sent nowhere.</small></p>
      <label for="decode-input">Access token (JWT)</label>
      <textarea id="decode-input" spellcheck="false" autocomplete="off"></textarea>
      <div id="decode-output" aria-live="polite"></div>
    </section>
  </aside>
</main>`

/**
 * The HTML of the console page.
 *
 * @example
 * ```ts
 * res.end(PAGE_HTML)
 * ```
 */
export const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local authority console</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
${BODY}
<script>${SCRIPT}</script>
</body>
</html>
`

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`
}

/**
 * The page's `Content-Security-Policy`: nothing but its own inline script and style (by hash),
 * requests to its own origin, no frames, no forms posted, no HTML built from strings.
 *
 * @example
 * ```ts
 * PAGE_CSP.includes("default-src 'none'") // true
 * ```
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ')
