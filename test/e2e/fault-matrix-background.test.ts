/**
 * The fault matrix, end to end against the local authority on 127.0.0.1 (rows and documented outcomes:
 * matrix/expectations.ts). Situation (b): a valid token is cached and the (virtual) clock is past its
 * `refreshAt`; callers get it at once while the background refresh meets the fault.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { FAULT_ROWS, renderBackground } from './matrix/expectations.js'
import { watchStrayErrors } from './matrix/harness.js'
import { outcomesOf } from './matrix/policy.js'
import { backgroundRefresh } from './matrix/scenarios.js'

const stray = watchStrayErrors()
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

describe.concurrent('fault matrix (b): a background refresh of a valid token', () => {
  for (const row of FAULT_ROWS) {
    it(`${row.label}: ${renderBackground(outcomesOf(row).background)}`, async () => {
      await backgroundRefresh(authority, row)
      await stray.expectNone()
    })
  }
})
