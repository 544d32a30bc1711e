import { readFileSync } from 'node:fs'
import { afterEach, expect, it, vi } from 'vitest'
import { useNetwork } from './helpers/network.js'
import { fakeJwt, scriptedEndpoint, V2_URL, v2Token } from './helpers/token-endpoint.js'

const network = useNetwork()

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

it.each(['quick-start.ts', 'quick-start-local.ts', 'web-api.ts', 'testing-with-local-authority.test.ts'])(
  'shows examples/%s in the README word for word',
  (file) => {
    const example = readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8')
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``)
  },
)

it('runs the quick start as written: one token request, the second call from memory', async () => {
  vi.stubEnv('CLIENT_SECRET', 'quick-start-secret')
  const endpoint = scriptedEndpoint(V2_URL, [v2Token(fakeJwt({ roles: ['Admin'] }))])
  network.use(endpoint.handler)
  const printed: unknown[][] = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args)
  })
  await import('../examples/quick-start.js')
  expect(endpoint.count).toBe(1)
  expect(endpoint.seen[0]?.form.get('client_secret')).toBe('quick-start-secret')
  expect(printed[0]?.[0]).toBe('api://myapis/mywebapi/.default')
  expect(printed[0]?.[2]).toEqual(['Admin'])
  expect(printed[1]).toEqual([true])
})
