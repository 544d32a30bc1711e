import { describe, expect, it } from 'vitest'
import { type ConsoleChange, MAX_ROWS } from '../../../src/testing/console/state.js'
import { EXAMPLE } from '../../../src/testing/index.js'
import { consoleSetup, tokenEntry } from './setup.js'

describe('the console state', () => {
  it('follows the request log: rows newest first, numbered in order of arrival, the newest MAX_ROWS kept', () => {
    const { log, state } = consoleSetup()
    for (let i = 0; i < MAX_ROWS + 5; i += 1) log.record(tokenEntry({ at: i }), true)
    const rows = state.rows
    expect(rows).toHaveLength(MAX_ROWS)
    expect(rows[0]).toMatchObject({ seq: MAX_ROWS + 5, at: MAX_ROWS + 4 })
    expect(rows.at(-1)).toMatchObject({ seq: 6, at: 5 })
    expect(log.length).toBe(MAX_ROWS + 5) // the log itself keeps everything
  })

  it('reports each request, and registrations and faults when they changed', () => {
    const { log, faults, clients, state } = consoleSetup()
    const changes: ConsoleChange['event'][] = []
    state.onChange((change) => changes.push(change.event))
    log.record(tokenEntry(), true)
    expect(changes).toEqual(['request'])
    faults.add({ kind: 'status503', times: Number.POSITIVE_INFINITY })
    clients.setEnabled(EXAMPLE.clients.reader.appId, false)
    state.checkForChanges()
    expect(changes).toEqual(['request', 'registry', 'faults'])
    state.checkForChanges()
    expect(changes).toHaveLength(3)
    expect(state.faults()).toEqual([{ kind: 'status503', times: 'unlimited' }])
  })

  it('answers a snapshot of everything the page shows', () => {
    const { log, state } = consoleSetup()
    log.record(tokenEntry({ status: 401, errorCodes: [7000215] }), false)
    const snapshot = state.snapshot()
    expect(snapshot.authority).toEqual({ url: 'http://127.0.0.1:5312' })
    expect(snapshot.registry.clients).toHaveLength(3)
    expect(snapshot.faults).toEqual([])
    expect(snapshot.requests).toEqual([expect.objectContaining({ seq: 1, status: 401 })])
  })

  it('blanks a registered secret wherever it reached a shown string, and keeps the JSON valid', () => {
    const { log, clients, state } = consoleSetup()
    const secret = EXAMPLE.clients.admin.secret
    log.record(tokenEntry({ form: { scope: `${secret}/.default` } }), false)
    clients.add({ appId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', displayName: `named ${secret}` })
    clients.add({ appId: 'b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', secrets: [{ value: 'mywe' }] })
    const text = state.json(state.snapshot())
    expect(text).not.toContain(secret)
    const parsed = JSON.parse(text) as ReturnType<typeof state.snapshot>
    expect(parsed.requests[0]?.fields.scope).toBe('[redacted]/.default')
    expect(parsed.registry.clients.map((c) => c.displayName)).toContain('named [redacted]')
    expect(text).toContain('mywebapi') // a secret too short to be told from a word is not blanked
  })

  it('blanks a JWT (an assertion, a token) wherever it reached a shown string', () => {
    const { log, state } = consoleSetup()
    const jwt = 'eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJkYWVtb24ifQ.c2lnbmF0dXJlLW9mLXRoZS1hc3NlcnRpb24'
    log.record(tokenEntry({ form: { scope: jwt } }), false)
    log.record(tokenEntry({ route: 'unknown', path: `/t/oauth2/v2.0/token/${jwt}`, status: 404 }), false)
    const text = state.json(state.snapshot())
    expect(text).not.toContain('eyJ')
    expect(text).not.toContain('c2lnbmF0dXJlLW9mLXRoZS1hc3NlcnRpb24')
    const [unknown, scoped] = (JSON.parse(text) as ReturnType<typeof state.snapshot>).requests
    expect(unknown?.path).toBe('/t/oauth2/v2.0/token/[jwt redacted]')
    expect(scoped?.fields.scope).toBe('[jwt redacted]')
  })

  it('stops following the log when closed', () => {
    const { log, state } = consoleSetup()
    const changes: string[] = []
    state.onChange((change) => changes.push(change.event))
    state.close()
    log.record(tokenEntry(), true)
    expect(state.rows).toEqual([])
    expect(changes).toEqual([])
  })
})
