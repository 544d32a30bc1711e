/**
 * The page's style sheet: system fonts only (nothing is fetched), light and dark schemes, visible
 * keyboard focus, and every state said in words or symbols as well as in colour.
 */

/**
 * The CSS of the console page (served inline, pinned by its hash).
 *
 * @example
 * ```ts
 * `<style>${PAGE_STYLE}</style>`
 * ```
 */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1b1b; --muted: #555; --line: #ccc; --ok: #0a6b2d;
  --bad: #a3120b; --mark: #ffe066; --mark-fg: #1b1b1b; --panel: #f5f5f2; --focus: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #161616; --fg: #ececec; --muted: #aaa; --line: #444; --ok: #6fd38f; --bad: #ff8a80;
    --mark: #ffd43b; --panel: #202020; --focus: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
code, time, .status, td small { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
header { padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0; font-size: 1.3rem; }
header p { margin: .2rem 0; }
nav a { margin-right: 1rem; }
main { display: grid; gap: 1.25rem; padding: 1rem 1.25rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 1200px) { main { grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); } }
section { min-width: 0; }
h2 { font-size: 1.1rem; margin: .25rem 0 .5rem; }
h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
h2 small { font-weight: normal; color: var(--muted); }
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .25rem .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
td { overflow-wrap: anywhere; }
#log > thead th, #log > tbody > tr:not(.detail) > td:nth-child(-n+2), #log td.status, table.claims th { white-space: nowrap; }
#log > tbody > tr > td:nth-child(2) small { white-space: normal; }
#log > tbody { border-top: 2px solid var(--line); }
#log td p { margin: 0 0 .2rem; }
#log tr.detail td { border-bottom: 0; padding-top: 0; }
td small, .hint { color: var(--muted); }
.ok .status { color: var(--ok); font-weight: 600; }
.failed .status { color: var(--bad); font-weight: 600; }
.aadsts strong, .warn, .no-roles, .error { color: var(--bad); font-weight: 600; }
mark.role { background: var(--mark); color: var(--mark-fg); font-weight: 700; padding: 0 .25rem; border: 1px solid currentColor; border-radius: 3px; }
tr.roles th, tr.roles td { font-weight: 600; }
table.claims { margin: .4rem 0 .8rem; font-size: .9rem; }
table.claims caption { text-align: left; font-weight: 600; }
details summary { cursor: pointer; }
aside > section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; margin-bottom: 1rem; }
aside ul { margin: .2rem 0; padding-left: 1.2rem; }
form { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .35rem .6rem; align-items: center; margin: .5rem 0; }
form .buttons { grid-column: 1 / -1; display: flex; gap: .5rem; }
input, select, textarea, button { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; padding: .25rem .4rem; }
button { cursor: pointer; font-weight: 600; }
textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
`
