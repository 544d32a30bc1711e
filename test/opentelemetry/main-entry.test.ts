/**
 * The built package, in a child process: importing or requiring the main entry never loads
 * `@opentelemetry/api` (nothing is paid without the instrumentation), and the `/opentelemetry` entry does
 * (so the check can fail). A module hook preloaded into the child records every module it loads.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Preloaded: records the URL of every module loaded (ESM and CommonJS), printed as JSON at exit. */
const recordLoads = `data:text/javascript,${encodeURIComponent(`
  import { registerHooks } from 'node:module'
  const loaded = []
  registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
  process.on('exit', () => process.stdout.write(JSON.stringify(loaded)))
`)}`

/** The modules loaded by `code` (run with `specifier` as its argument) in a fresh Node.js process. */
function modulesLoadedBy(code: string, specifier: string): string[] {
  const run = spawnSync(process.execPath, ['--import', recordLoads, '-e', code, specifier], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  })
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as string[]
}

const openTelemetry = (urls: string[]) => urls.filter((url) => url.includes('/@opentelemetry/'))

beforeAll(() => {
  const build = spawnSync('sh', ['scripts/build-if-stale.sh'], { cwd: root, encoding: 'utf8' })
  expect(build.status, build.stderr).toBe(0)
}, 300_000)

describe('loading the package', () => {
  it.each([
    ['import', 'import(process.argv[1])'],
    ['require', 'require(process.argv[1])'],
  ])('the main entry (%s) never loads @opentelemetry/api', (_, code) => {
    const loaded = modulesLoadedBy(code, 'oauth-client-credentials')
    expect(loaded.some((url) => url.includes('/dist/index.'))).toBe(true)
    expect(openTelemetry(loaded)).toEqual([])
  })

  it.each([
    ['import', 'import(process.argv[1])'],
    ['require', 'require(process.argv[1])'],
  ])('the /opentelemetry entry (%s) loads it', (_, code) => {
    const loaded = modulesLoadedBy(code, 'oauth-client-credentials/opentelemetry')
    expect(openTelemetry(loaded).some((url) => url.includes('/@opentelemetry/api/'))).toBe(true)
  })
})
