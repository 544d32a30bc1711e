/**
 * The built package, in child processes: what each path loads (issue 17; docs/architecture.md, "Loading
 * on first use"). Importing or requiring the main entry loads neither undici, jose nor zod; the first
 * client built loads zod (the app's own copy), the first token request undici (so the checks can fail),
 * and building a DPoP, mutual-TLS or bare-key client loads neither undici nor jose;
 * `/verify` leaves jose for the first verification. A module hook preloaded into the child records every
 * module loaded, ESM and CommonJS.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Preloaded: records the URL of every module loaded, printed as JSON on the last line at exit. */
const recordLoads = `data:text/javascript,${encodeURIComponent(`
  import { registerHooks } from 'node:module'
  const loaded = []
  registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
  process.on('exit', () => process.stdout.write('\\n' + JSON.stringify(loaded)))
`)}`

/** The URLs of the modules that `code` loads in a fresh process. */
function filesLoadedBy(code: string): string[] {
  const run = spawnSync(process.execPath, ['--import', recordLoads, '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  })
  expect(run.status, run.stderr).toBe(0)
  const lines = run.stdout.trim().split('\n')
  const urls = JSON.parse(lines.at(-1) ?? '[]') as string[]
  expect(urls.some((url) => url.includes('/dist/'))).toBe(true)
  return urls
}

/** The packages under node_modules that `code` loads in a fresh process. */
function packagesLoadedBy(code: string): string[] {
  const names = filesLoadedBy(code).flatMap(
    (url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? [],
  )
  return [...new Set(names)].sort()
}

const load = {
  import: (entry: string) => `await import('${entry}')`,
  require: (entry: string) =>
    `(await import('node:module')).createRequire(import.meta.url + '/x')('${entry}')`,
}

/** Gets one token from a loopback endpoint with a client secret, through `entry`. */
const firstToken = (how: keyof typeof load) => `
  import { createServer } from 'node:http'
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'lazy-token' }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { TokenClient } = ${load[how]('oauth-client-credentials')}
  const client = new TokenClient({
    tokenEndpoint: 'http://127.0.0.1:' + server.address().port + '/token',
    clientId: 'app',
    credential: { clientSecret: 'not-a-real-secret' },
  })
  const token = await client.getToken('api://lazy/.default')
  if (token.accessToken !== 'lazy-token') throw new Error('unexpected token')
  await client.close()
  server.close()
`

beforeAll(() => {
  const build = spawnSync('sh', ['scripts/build-if-stale.sh'], { cwd: root, encoding: 'utf8' })
  expect(build.status, build.stderr).toBe(0)
}, 300_000)

describe.each(['import', 'require'] as const)('the built package (%s)', (how) => {
  it('the main entry loads neither undici, jose nor zod', () => {
    const loaded = packagesLoadedBy(load[how]('oauth-client-credentials'))
    expect(loaded).not.toContain('undici')
    expect(loaded).not.toContain('jose')
    expect(loaded).not.toContain('zod')
  })

  it("the first client built loads zod, the app's own copy of it (one copy in the process)", () => {
    const code = `
      const { z } = ${load[how]('zod')}
      const { TokenClient } = ${load[how]('oauth-client-credentials')}
      new TokenClient({ tenant: 'contoso.onmicrosoft.com', clientId: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e', credential: { clientSecret: 's' } })
      if (!(z.string().safeParse(1).error instanceof z.ZodError)) throw new Error('zod')
    `
    const zodFiles = filesLoadedBy(code).filter((url) =>
      /\/node_modules\/zod\/(index|v4\/classic\/external)\./.test(url),
    )
    const ending = how === 'import' ? '.js' : '.cjs'
    expect(zodFiles.length).toBeGreaterThan(0)
    expect(zodFiles.every((url) => url.endsWith(ending))).toBe(true)
  })

  it('the first token request loads undici, not jose, and gets its token', () => {
    const loaded = packagesLoadedBy(firstToken(how))
    expect(loaded).toContain('undici')
    expect(loaded).not.toContain('jose')
  })

  it('a client with DPoP, one with mutual TLS and one with a bare key load neither undici nor jose when built', () => {
    const code = `
      const { TokenClient } = ${load[how]('oauth-client-credentials')}
      const tokenEndpoint = 'https://127.0.0.1:8443/token'
      const { readFileSync } = ${load[how]('node:fs')}
      const certificatePath = 'test/fixtures/credentials/rsa.combined.pem'
      const privateKey = readFileSync('test/fixtures/credentials/ec.key.pem', 'utf8')
      const clients = [
        new TokenClient({ tokenEndpoint, clientId: 'app', credential: { clientSecret: 's' }, dpop: true }),
        new TokenClient({ tokenEndpoint, clientId: 'app', credential: { certificatePath }, authMethod: 'tls_client_auth' }),
        new TokenClient({ tokenEndpoint, clientId: 'app', credential: { privateKey } }),
      ]
      await Promise.all(clients.map((client) => client.close()))
    `
    const loaded = packagesLoadedBy(code)
    expect(loaded).toContain('zod')
    expect(loaded).not.toContain('undici')
    expect(loaded).not.toContain('jose')
  })

  it('the /verify entry leaves jose for the first verification', () => {
    const loaded = packagesLoadedBy(load[how]('oauth-client-credentials/verify'))
    expect(loaded).not.toContain('jose')
    expect(loaded).not.toContain('undici')
  })
})
