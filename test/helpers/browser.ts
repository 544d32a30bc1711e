/**
 * A real browser for the console page's tests and its README screenshot: Debian's `chromium`,
 * headless, driven by puppeteer-core (which downloads no browser). It reaches loopback only: no
 * proxy, every host name but 127.0.0.1 and localhost unresolvable, background networking off.
 * Without chromium the tests fail, on purpose: they are not optional.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'

/** Where Debian installs chromium (override with CHROMIUM_PATH). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Fails with a clear message when chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `chromium is not at ${CHROMIUM}: the console page's browser tests need a real browser ` +
        '(Debian/Ubuntu: apt-get install -y chromium). They do not skip.',
    )
  }
}

/** A page with everything the browser complained about. */
export interface WatchedPage {
  readonly page: Page
  /** Console errors and warnings, uncaught exceptions, failed requests and CSP violations. */
  readonly problems: string[]
}

/** A headless chromium and the temporary profile it runs in. */
export interface HeadlessBrowser {
  readonly browser: Browser
  open(url: string): Promise<WatchedPage>
  close(): Promise<void>
}

/** Launches headless chromium with a fresh profile. */
export async function launchBrowser(): Promise<HeadlessBrowser> {
  requireChromium()
  const profile = mkdtempSync(join(tmpdir(), 'occ-chromium-'))
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-proxy-server',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  })
  return {
    browser,
    open: (url) => openWatched(browser, url),
    async close() {
      await browser.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

async function openWatched(browser: Browser, url: string): Promise<WatchedPage> {
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn')
      problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught: ${String(error)}`))
  page.on('requestfailed', (request) => {
    // the event stream is cut when the page goes away; anything else failing is a problem
    if (!request.url().endsWith('/_console/events')) problems.push(`request failed: ${request.url()}`)
  })
  await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`CSP violation: ${text}`))
  await page.evaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (event) =>
    reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')))`)
  await page.goto(url, { waitUntil: 'load' })
  return { page, problems }
}
