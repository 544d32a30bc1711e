import { expect, it } from 'vitest'
import { consoleFault } from '../../../src/testing/console/fault-input.js'

it.each([
  [
    { kind: 'status429', retryAfter: 5 },
    { kind: 'status429', route: 'token', retryAfter: 5, times: 1 },
  ],
  [
    { kind: 'status503', times: 3, clientId: 'abc' },
    { kind: 'status503', route: 'token', times: 3, clientId: 'abc' },
  ],
  [
    { kind: 'drop', route: 'token' },
    { kind: 'drop', route: 'token', times: 1 },
  ],
])('queues the common faults: %j', (input, fault) => {
  expect(consoleFault(input)).toEqual({ fault })
})

it.each([
  [{ kind: 'latency', ms: 10 }, /^kind: /],
  [{ kind: 'status429', route: 'jwks' }, /^route: /],
  [{ kind: 'status429', times: 0 }, /^times: /],
  [{ kind: 'status429', times: 1000 }, /^times: /],
  [{ kind: 'status429', retryAfter: -1 }, /^retryAfter: /],
  [{ kind: 'drop', retryAfter: 5 }, /^retryAfter: a dropped connection has no Retry-After$/],
  [{ kind: 'status503', extra: true }, /^fault: /],
  ['status429', /^fault: /],
])('refuses %j, naming the field', (input, error) => {
  const read = consoleFault(input)
  expect(read).toEqual({ error: expect.stringMatching(error) })
})
