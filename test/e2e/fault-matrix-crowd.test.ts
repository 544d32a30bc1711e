/**
 * The fault matrix, end to end against the local authority on 127.0.0.1 (rows and documented outcomes:
 * matrix/expectations.ts). Situation (d): 1,000 callers ask at once on a cold cache; they share one caller's requests and result.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { FAULT_ROWS, renderResult } from './matrix/expectations.js'
import { watchStrayErrors } from './matrix/harness.js'
import { coldCrowd, type Persistence, resultFor } from './matrix/scenarios.js'

const stray = watchStrayErrors()
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

describe.concurrent('fault matrix (d) 1,000 concurrent callers on a cold cache', () => {
  for (const row of FAULT_ROWS) {
    for (const persistence of ['once', 'lasting'] satisfies Persistence[]) {
      const expected = resultFor(row, 'crowd', persistence)
      if (expected === undefined) continue
      it(`${row.label}, ${persistence}: ${renderResult('crowd', expected)}`, async () => {
        await coldCrowd(authority, row, persistence)
        await stray.expectNone()
      })
    }
  }
})
