import { inspect } from 'node:util'
import { expect, it } from 'vitest'
import { ClientSecretCredential } from '../src/credentials/secret.js'
import { REDACTED, redactInstances } from '../src/redact.js'

it('makes instances print and serialise as their summary', () => {
  class Holder {
    readonly id: string
    readonly secret: string
    constructor(id: string, secret: string) {
      this.id = id
      this.secret = secret
    }
  }
  redactInstances(Holder, (h) => ({ id: h.id, secret: REDACTED }))
  const holder = new Holder('id-1', 'hunter2')
  expect(inspect(holder)).toBe("Holder { id: 'id-1', secret: '[redacted]' }")
  expect(JSON.stringify({ holder })).toBe('{"holder":{"id":"id-1","secret":"[redacted]"}}')
  expect(inspect([holder], { depth: 0 })).not.toContain('hunter2')
})

it('keeps a client secret out of inspect and JSON', () => {
  const credential = new ClientSecretCredential('hunter2-secret', 'client_secret_post')
  expect(inspect(credential, { showHidden: true, depth: 5 })).not.toContain('hunter2')
  expect(JSON.stringify(credential)).not.toContain('hunter2')
})
