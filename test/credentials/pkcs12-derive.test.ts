/**
 * Issue 13, finding 9: the keys a PKCS#12 file needs can be derived off the event loop beforehand
 * (`preparePkcs12`), so that reading it (`readPkcs12` inside `withDerivedKeys`) derives nothing.
 * node:crypto is wrapped to count the blocking PBKDF2 calls and the hashes (the PKCS#12 KDF runs
 * thousands; a read with the keys at hand a few: the table's keys and the MAC's length).
 */
import { describe, expect, it, vi } from 'vitest'
import { preparePkcs12, readPkcs12 } from '../../src/credentials/pkcs12.js'
import { withDerivedKeys } from '../../src/credentials/pkcs12-derive.js'
import { fixture, PASSPHRASE } from './fixtures.js'
import { macDataWithIterations, pfx } from './pkcs12-builder.js'

const calls = vi.hoisted(() => ({ pbkdf2Sync: 0, createHash: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return {
    ...real,
    pbkdf2Sync: (...args: Parameters<typeof real.pbkdf2Sync>) => {
      calls.pbkdf2Sync++
      return real.pbkdf2Sync(...args)
    },
    createHash: (...args: Parameters<typeof real.createHash>) => {
      calls.createHash++
      return real.createHash(...args)
    },
  }
})

/** Runs `work`, counting the event-loop turns (setImmediate) it lets happen; no I/O is involved. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0
  let running = true
  const turn = () => {
    turns++
    if (running) setImmediate(turn)
  }
  setImmediate(turn)
  await work().finally(() => {
    running = false
  })
  return turns
}

describe('preparePkcs12', () => {
  it.each([
    ['PBKDF2 (AES) and a SHA-256 MAC', 'rsa.aes.pfx'],
    ['the PKCS#12 KDF (3DES) and a SHA-1 MAC', 'rsa.3des.pfx'],
  ])('derives the keys of a file protected by %s while the event loop keeps turning', async (_name, name) => {
    const bytes = fixture(name)
    let keys: Awaited<ReturnType<typeof preparePkcs12>> | undefined
    expect(
      await turnsDuring(async () => void (keys = await preparePkcs12(bytes, PASSPHRASE))),
    ).toBeGreaterThan(0)
    calls.pbkdf2Sync = 0
    calls.createHash = 0
    const read = withDerivedKeys(keys, () => readPkcs12(bytes, PASSPHRASE))
    expect(calls).toEqual({ pbkdf2Sync: 0, createHash: expect.any(Number) })
    expect(calls.createHash).toBeLessThan(20)
    expect(read).toEqual(readPkcs12(bytes, PASSPHRASE))
    expect(calls.createHash).toBeGreaterThan(2_000) // the plain read derives: 2,048 iterations
  })

  it('never rejects: a file it cannot read resolves, and readPkcs12 then says why', async () => {
    const expensive = pfx([], { mac: macDataWithIterations('2.16.840.1.101.3.4.2.1', 5_000_000) })
    for (const bytes of [expensive, Buffer.from('not a pfx'), fixture('rsa.aes.pfx')]) {
      const keys = await preparePkcs12(bytes, 'wrong passphrase')
      expect(() => withDerivedKeys(keys, () => readPkcs12(bytes, 'wrong passphrase'))).toThrow()
    }
  })
})
