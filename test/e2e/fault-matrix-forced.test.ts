/**
 * The fault matrix, end to end against the local authority on 127.0.0.1 (rows and documented outcomes:
 * matrix/expectations.ts). Situation (c): a valid token is cached and a caller asks with `forceRefresh: true`; the fault meets the refresh once, or every attempt (lasting).
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { type LocalAuthority, startLocalAuthority } from '../../src/testing/index.js'
import { FAULT_ROWS, renderResult } from './matrix/expectations.js'
import { watchStrayErrors } from './matrix/harness.js'
import { forcedRefresh, type Persistence, resultFor } from './matrix/scenarios.js'

const stray = watchStrayErrors()
let authority: LocalAuthority
beforeAll(async () => {
  authority = await startLocalAuthority()
})
afterAll(() => authority.close())

describe.concurrent('fault matrix (c) a forced refresh while a valid token is cached', () => {
  for (const row of FAULT_ROWS) {
    for (const persistence of ['once', 'lasting'] satisfies Persistence[]) {
      const expected = resultFor(row, 'forced', persistence)
      if (expected === undefined) continue
      it(`${row.label}, ${persistence}: ${renderResult('forced', expected)}`, async () => {
        await forcedRefresh(authority, row, persistence)
        await stray.expectNone()
      })
    }
  }
})
