import { expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo } from './io.js'

it.each([
  ['emulator', '--prot', '--port'],
  ['emulator', '--confg', '--config'],
  ['demo', '--hepl', '--help'],
])('%s suggests the closest flag for %s', async (command, typed, suggested) => {
  const run = captureIo()
  const exit = await main([command, typed], run.io)
  expect(exit).toBe(2)
  expect(run.stderr).toContain(`did you mean '${suggested}'?`)
})
