import { expect, it } from 'vitest'
import { runDemo } from '../../src/cli/demo.js'
import { captureIo } from './io.js'

it('runs the demo: secret and certificate tokens, anatomy, cache, protected API, error hint', async () => {
  const run = captureIo()
  expect(await runDemo([], run.io)).toBe(0)
  const out = run.stdout
  expect(out).toContain('1. A token with a client secret')
  expect(out).toMatch(/roles\s+\["Admin"\]/)
  expect(out).toContain('second call: the same token, from the cache; token requests at the authority: 1 → 1')
  expect(out).toContain('2. A token with a certificate')
  expect(out).toContain('authenticated with a certificate (appidacr "2"); roles ["ReadOnly"]')
  expect(out).toMatch(/admin\s+GET\s+→ 200/)
  expect(out).toMatch(/admin\s+DELETE → 204/)
  expect(out).toMatch(/reader\s+GET\s+→ 200/)
  expect(out).toMatch(/reader\s+DELETE → 403 {2}Bearer error="insufficient_scope".*Admin/)
  expect(out).toMatch(/unconsented GET\s+→ 403/)
  expect(out).toContain('AADSTS7000215')
  expect(out).toContain('Secret ID')
  expect(out).toMatch(/done in \d+ ms/)
  expect(out).not.toContain('\u001b[') // no colour when not a TTY
})
