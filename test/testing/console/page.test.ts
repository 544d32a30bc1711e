/**
 * The console page in a real browser (Debian's chromium, headless): it loads with no console error
 * and no CSP violation, shows the example registry, and shows each request a `TokenClient` makes,
 * live, with its roles or the reason it has none, and each refusal with its AADSTS code and hint.
 * With CONSOLE_SCREENSHOT=<file> it also writes the README's screenshot (scripts/console-screenshot.mjs).
 */
import { writeFileSync } from 'node:fs'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TokenClient } from '../../../src/client.js'
import { WATCH_MS } from '../../../src/testing/console/events.js'
import { EXAMPLE, type LocalAuthority, startLocalAuthority } from '../../../src/testing/index.js'
import { type HeadlessBrowser, launchBrowser, type WatchedPage } from '../../helpers/browser.js'

const API = EXAMPLE.api.uri
/** The page shows a request within this long of the client getting its answer. */
const LIVE_MS = 1000
/** Registrations and faults changed by the test (not by a request) are looked for every WATCH_MS. */
const WATCHED_MS = WATCH_MS + LIVE_MS

let authority: LocalAuthority
let browser: HeadlessBrowser
let watched: WatchedPage
let page: Page

let setupError: unknown

beforeAll(async () => {
  authority = await startLocalAuthority({ console: true })
  try {
    browser = await launchBrowser()
  } catch (error) {
    setupError = error // each test fails with it (no chromium: no skipping)
    return
  }
  watched = await browser.open(authority.consoleUrl ?? '')
  page = watched.page
  await page.waitForFunction('document.getElementById("live").textContent === "live"', { timeout: 10_000 })
}, 60_000)

beforeEach(() => {
  if (setupError) throw setupError
})

afterAll(async () => {
  await browser?.close()
  await authority?.close()
})

function client(name: keyof typeof EXAMPLE.clients, secret: string = EXAMPLE.clients[name].secret) {
  return new TokenClient({
    authorityHost: authority.url,
    tenant: EXAMPLE.tenantId,
    clientId: EXAMPLE.clients[name].appId,
    credential: { clientSecret: secret },
    http: { retries: 0 },
  })
}

const text = (selector: string) => page.$eval(selector, (node) => node.textContent ?? '')
const rowOf = (name: keyof typeof EXAMPLE.clients, status: number | 'dropped') =>
  `#log > tbody[data-client="${EXAMPLE.clients[name].appId}"][data-status="${status}"]`

describe('the console page', () => {
  it('loads with no console error and no CSP violation, and shows the example registry', async () => {
    const registry = await text('#registry')
    expect(registry).toContain('Contoso')
    expect(registry).toContain(EXAMPLE.tenantId)
    expect(registry).toContain(EXAMPLE.tenantDomain)
    expect(registry).toContain(API)
    expect(registry).toMatch(/app roles: Admin, ReadOnly/)
    for (const [name, app] of Object.entries(EXAMPLE.clients)) {
      expect(registry).toContain(`daemon-${name}`)
      expect(registry).toContain(`secret ${app.secretId}`)
      expect(registry).not.toContain(app.secret)
    }
    expect(registry).toMatch(/daemon-unconsented → mywebapi: ReadOnly · admin consent missing/)
    expect(registry).toMatch(/daemon-admin → mywebapi: Admin · admin consent given/)
    expect(await page.$eval('#authority-url', (node) => node.textContent)).toBe(authority.url)
    expect(watched.problems).toEqual([])
  })

  it('shows a token request of a TokenClient within a second, with its roles and claims, never the token', async () => {
    const token = await client('admin').getToken(API)
    const row = await page.waitForSelector(`${rowOf('admin', 200)} mark.role`, { timeout: LIVE_MS })
    expect(await row?.evaluate((node) => node.textContent)).toBe('Admin')
    const shown = await text(rowOf('admin', 200))
    expect(shown).toContain('roles: Admin')
    expect(shown).toContain('daemon-admin')
    expect(shown).toContain(`scope ${API}/.default`)
    expect(shown).toContain('auth secret (form)')
    expect(shown).toMatch(/aud\s*api:\/\/myapis\/mywebapi/)
    expect(shown).toContain('app roles granted to the client')
    const html = await page.content()
    expect(html).not.toContain(token.accessToken)
    expect(html).not.toContain(token.accessToken.split('.')[2])
    expect(html).not.toContain(token.accessToken.split('.')[1])
  })

  it('says why the token of an unconsented client has no roles', async () => {
    const token = await client('unconsented').getToken(API)
    expect(token.claims?.roles).toBeUndefined()
    const note = await page.waitForSelector(`${rowOf('unconsented', 200)} .no-roles`, { timeout: LIVE_MS })
    expect(await note?.evaluate((node) => node.textContent)).toMatch(/no roles: admin consent missing/)
  })

  it('shows a wrong secret as AADSTS7000215 with its meaning and hint', async () => {
    const wrong = 'Wr0ng~console.test_secret-0000'
    await expect(client('reader', wrong).getToken(API)).rejects.toMatchObject({ status: 401 })
    const cell = await page.waitForSelector(`${rowOf('reader', 401)} .aadsts`, { timeout: LIVE_MS })
    expect(await cell?.evaluate((node) => node.textContent)).toBe('AADSTS7000215: wrong client secret')
    expect(await text(`${rowOf('reader', 401)} .hint`)).toMatch(
      /Hint: send the secret's Value .* not its Secret ID/,
    )
    expect(await page.content()).not.toContain(wrong)
  })

  it('lists the newest request first', async () => {
    const seqs = await page.$$eval('#log > tbody', (bodies) =>
      bodies.map((b) => Number(b.getAttribute('data-seq'))),
    )
    expect(seqs.length).toBeGreaterThanOrEqual(3)
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))
  })

  afterAll(async () => {
    // the README's picture: these three requests, the first token's claims open
    const file = process.env.CONSOLE_SCREENSHOT
    if (!file || setupError) return
    await page.click(`${rowOf('admin', 200)} details summary`)
    await page.evaluate('window.scrollTo(0, 0)')
    writeFileSync(file, await page.screenshot({ type: 'png', fullPage: true }))
  })
})

describe('the decode box', () => {
  it('decodes a pasted token in the page, with what each claim means, never showing its signature', async () => {
    const token = await client('reader').getToken(API)
    const requests = authority.requests.length
    await page.focus('#decode-input')
    await page.keyboard.sendCharacter(token.accessToken)
    await page.waitForSelector('#decode-output table.claims', { timeout: LIVE_MS })
    const output = await text('#decode-output')
    expect(output).toContain('roles: ReadOnly')
    expect(output).toMatch(/appid\s*7d9a1c3e-5f7b-4d2a-8c4e-6a8b0c2d4e62\s*v1: the client application id/)
    expect(output).toContain('Signature not shown and not verified')
    expect(output).not.toContain(token.accessToken.split('.')[2])
    expect(authority.requests.length).toBe(requests) // decoded in the page: nothing was sent
  })

  it('says what is wrong with something that is not a JWT', async () => {
    await page.focus('#decode-input')
    await page.keyboard.down('Control')
    await page.keyboard.press('a')
    await page.keyboard.up('Control')
    await page.keyboard.sendCharacter('not.a-jwt')
    await page.waitForSelector('#decode-output .error', { timeout: LIVE_MS })
    expect(await text('#decode-output')).toMatch(/^not a JWT/)
  })
})

describe('faults', () => {
  it('adds a 429 with Retry-After from the keyboard; the next request shows it', async () => {
    await page.focus('#fault-kind')
    await page.keyboard.press('Tab') // Retry-After
    await page.keyboard.press('Backspace')
    await page.keyboard.type('7')
    await page.keyboard.press('Tab') // times
    await page.keyboard.press('Tab') // client
    await page.keyboard.press('Tab') // Add fault
    await page.keyboard.press('Enter')
    await page.waitForFunction('document.getElementById("fault-list").textContent.includes("status429")', {
      timeout: LIVE_MS,
    })
    expect(await text('#fault-list')).toContain('status429, Retry-After 7 · token · any client · 1×')
    expect(authority.faults.pending).toMatchObject([{ kind: 'status429', retryAfter: 7, route: 'token' }])
    await expect(client('admin').getToken(API, { forceRefresh: true })).rejects.toMatchObject({ status: 429 })
    await page.waitForSelector(rowOf('admin', 429), { timeout: LIVE_MS })
    expect(await text(rowOf('admin', 429))).toMatch(
      /throttled \(fault injected\).*Hint: wait for Retry-After/,
    )
    expect(await text('#fault-list')).toBe('none queued')
  })

  it('adds a 503 and a dropped connection for one client, and clears them', async () => {
    await page.select('#fault-kind', 'status503')
    await page.select('#fault-client', EXAMPLE.clients.reader.appId)
    await page.click('#fault-form button[type="submit"]')
    await page.select('#fault-kind', 'drop')
    await page.click('#fault-form button[type="submit"]')
    await page.waitForFunction('document.getElementById("fault-list").children.length === 2', {
      timeout: LIVE_MS,
    })
    expect(authority.faults.pending).toMatchObject([
      { kind: 'status503', clientId: EXAMPLE.clients.reader.appId },
      { kind: 'drop', clientId: EXAMPLE.clients.reader.appId },
    ])
    await page.click('#fault-clear')
    await page.waitForFunction('document.getElementById("fault-list").textContent === "none queued"', {
      timeout: LIVE_MS,
    })
    expect(authority.faults.pending).toEqual([])
  })

  it('shows faults queued by the test itself and a dropped connection', async () => {
    authority.faults.add({ route: 'token', kind: 'drop' })
    await page.waitForFunction('document.getElementById("fault-list").textContent.includes("drop")', {
      timeout: WATCHED_MS,
    })
    await expect(client('reader').getToken(API, { forceRefresh: true })).rejects.toThrow()
    await page.waitForSelector(rowOf('reader', 'dropped'), { timeout: LIVE_MS })
    expect(await text(rowOf('reader', 'dropped'))).toContain(
      'connection dropped without an answer (fault injected)',
    )
    authority.faults.add({ route: 'metadata', kind: 'html', times: Number.POSITIVE_INFINITY })
    await page.waitForFunction('document.getElementById("fault-list").textContent.includes("every time")', {
      timeout: WATCHED_MS,
    })
    expect(await text('#fault-list')).toBe('html · metadata · any client · every time')
    authority.faults.clear()
  })
})

describe('registrations', () => {
  it('follow changes made at run time: consent given, the next token has roles', async () => {
    authority.clients.setAdminConsent(EXAMPLE.clients.unconsented.appId, API, true)
    await page.waitForFunction(
      'document.getElementById("registry").textContent.includes("daemon-unconsented → mywebapi: ReadOnly · admin consent given")',
      { timeout: WATCHED_MS },
    )
    await client('unconsented').getToken(API)
    const roles = await page.waitForSelector(`${rowOf('unconsented', 200)} mark.role`, { timeout: LIVE_MS })
    expect(await roles?.evaluate((node) => node.textContent)).toBe('ReadOnly')
    authority.clients.setAdminConsent(EXAMPLE.clients.unconsented.appId, API, false)
  })

  it('every control has a label, and nothing went wrong in the browser', async () => {
    const unlabelled = await page.$$eval('input, select, textarea', (controls) =>
      controls
        .filter((c) => (c as unknown as { labels: { length: number } }).labels.length === 0)
        .map((c) => c.id),
    )
    expect(unlabelled).toEqual([])
    expect(watched.problems).toEqual([])
  })
})
