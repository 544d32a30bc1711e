import { expect, it } from 'vitest'
import { runDemo } from '../../src/cli/demo.js'
import { captureIo } from './io.js'

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`

it('runs the demo: secret and certificate tokens, anatomy, cache, protected API, error hint', async () => {
  const run = captureIo()
  expect(await runDemo([], run.io)).toBe(0)
  const out = run.stdout
  expect(out).toContain('1. A token with a client secret')
  expect(out).toMatch(/roles\s+\["Admin"\]/)
  expect(out).toContain('second call: the same token, from the cache')
  expect(out).toContain('2. A token with a certificate')
  expect(out).toContain('authenticated with a certificate (appidacr "2"); roles ["ReadOnly"]')
  expect(out).toMatch(/admin\s+GET\s+→ 200/)
  expect(out).toMatch(/admin\s+DELETE → 204/)
  expect(out).toMatch(/reader\s+GET\s+→ 200/)
  expect(out).toMatch(/reader\s+DELETE → 403\n\s+Bearer error="insufficient_scope".*Admin/)
  expect(out).toMatch(/unconsented GET\s+→ 403/)
  expect(out).toContain('AADSTS7000215')
  expect(out).toContain('Secret ID')
  expect(out).toMatch(/done in \d+ ms/)
  expect(out).not.toContain('\u001b[') // no colour when not a TTY
})

it('keeps every line within 100 columns', async () => {
  const run = captureIo()
  await runDemo([], run.io)
  const long = run.stdout.split('\n').filter((line) => line.length > 100)
  expect(long).toEqual([])
})

it('shows times as ISO 8601 and relative to now', async () => {
  const run = captureIo()
  await runDemo([], run.io)
  expect(run.stdout).toMatch(new RegExp(`expires\\s+${ISO} \\(in 60 min\\)`))
  expect(run.stdout).toMatch(new RegExp(`refreshed\\s+from ${ISO} \\(in 55 min\\), in the background`))
  expect(run.stdout).toMatch(new RegExp(`exp\\s+\\d{10} \\(${ISO}, in 60 min\\)`))
})

it('says what the request count counts: token requests the authority received, before and after the second call', async () => {
  const run = captureIo()
  await runDemo([], run.io)
  expect(run.stdout).toContain(
    'token requests received by the authority: 1 after the first call, still 1 after the second',
  )
})

it('explains why the unconsented client is refused: its token has no roles claim (no admin consent)', async () => {
  const run = captureIo()
  await runDemo([], run.io)
  expect(run.stdout).toMatch(
    /unconsented GET\s+→ 403\n[\s\S]*its token has no roles claim: ReadOnly was granted without admin\s+consent/,
  )
})
