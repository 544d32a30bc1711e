/**
 * The fault matrix, end to end against the local authority on 127.0.0.1 (rows and documented outcomes:
 * matrix/expectations.ts). Situation (a): nothing is cached and one caller asks; the fault meets its request once, or every attempt (lasting).
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { FAULT_ROWS, renderResult } from './matrix/expectations.js'
import { watchStrayErrors } from './matrix/harness.js'
import { coldCache, type Persistence, resultFor } from './matrix/scenarios.js'

const stray = watchStrayErrors()
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

describe.concurrent('fault matrix (a) a cold cache: one caller meets the fault', () => {
  for (const row of FAULT_ROWS) {
    for (const persistence of ['once', 'lasting'] satisfies Persistence[]) {
      const expected = resultFor(row, 'cold', persistence)
      if (expected === undefined) continue
      it(`${row.label}, ${persistence}: ${renderResult('cold', expected)}`, async () => {
        await coldCache(authority, row, persistence)
        await stray.expectNone()
      })
    }
  }
})
