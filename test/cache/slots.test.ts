import { describe, expect, it } from 'vitest'
import { Slot, SlotTable } from '../../src/cache/slots.js'

const T0 = Date.parse('2026-12-05T12:00:00.250Z')
const token = (name: string, refreshAt = T0 + 3_300_000) => ({ name, refreshAt })

/** A table of `max` slots holding `names` (inserted in order). */
function tableOf(max: number, ...names: string[]) {
  const table = new SlotTable<ReturnType<typeof token>>(max, T0)
  for (const name of names) table.set(name, token(name))
  return table
}

const held = (table: SlotTable<ReturnType<typeof token>>, names: string[]) =>
  names.filter((name) => table.peek(name) !== undefined)

describe('SlotTable', () => {
  it('never holds more than maxEntries slots, dropping the oldest unused one', () => {
    const table = tableOf(3, 'a', 'b', 'c', 'd', 'e')
    expect(table.size).toBe(3)
    expect(held(table, ['a', 'b', 'c', 'd', 'e'])).toEqual(['c', 'd', 'e'])
  })

  it('gives a slot looked up since the last pass a second chance: the least recently used goes', () => {
    const table = tableOf(3, 'a', 'b', 'c')
    table.get('a')
    table.set('d', token('d'))
    expect(held(table, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd'])
    table.set('e', token('e')) // a lost its bit when passed over: c, the oldest unused, goes
    expect(held(table, ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'd', 'e'])
    table.set('f', token('f')) // a, passed over once and not used since, goes now
    expect(held(table, ['a', 'd', 'e', 'f'])).toEqual(['d', 'e', 'f'])
  })

  it('drops the oldest when every slot was used (each loses its bit, the first comes round again)', () => {
    const table = tableOf(3, 'a', 'b', 'c')
    for (const name of ['c', 'b', 'a']) table.get(name)
    table.set('d', token('d'))
    expect(held(table, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd'])
  })

  it('peek leaves recency alone', () => {
    const table = tableOf(2, 'a', 'b')
    table.peek('a')
    table.set('c', token('c'))
    expect(held(table, ['a', 'b', 'c'])).toEqual(['b', 'c'])
  })

  it('updates a slot in place, so that a request holding it keeps it; the new promise answers', async () => {
    const table = tableOf(2, 'a')
    const slot = table.get('a')
    const newer = token('a2', T0 + 7_200_000)
    expect(table.set('a', newer)).toBe(slot)
    expect(table.size).toBe(1)
    expect(await slot?.promise).toBe(newer)
    expect(slot?.backoff).toBeUndefined()
  })

  it('is fresh until refreshAt, to the second before it, and never for a dropped slot or another table', () => {
    const table = tableOf(1, 'a')
    const slot = table.peek('a')
    if (slot === undefined) throw new Error('no slot')
    const refreshAt = T0 + 3_300_000
    expect(table.fresh(slot, T0)).toBe(true)
    expect(table.fresh(slot, refreshAt - 1001)).toBe(true)
    // within the last second the token's exact refreshAt decides (the cache reads it then)
    expect(table.fresh(slot, refreshAt - 250)).toBe(false)
    expect(table.fresh(slot, refreshAt)).toBe(false)
    expect(tableOf(1, 'a').fresh(slot, T0)).toBe(false)
    table.set('b', token('b')) // a is dropped
    expect(table.fresh(slot, T0)).toBe(false)
  })

  it('clear drops every slot: requests holding one are answered no more', () => {
    const table = tableOf(3, 'a', 'b')
    const slots = [table.peek('a'), table.peek('b')]
    table.clear()
    expect(table.size).toBe(0)
    for (const slot of slots) expect(slot && table.fresh(slot, T0)).toBe(false)
    table.set('a', token('a'))
    expect(table.peek('a')).not.toBe(slots[0])
  })

  it('keeps times far from its epoch (before it, decades after it) correct: the exact check decides', () => {
    const table = new SlotTable<ReturnType<typeof token>>(4, T0)
    const past = table.set('past', token('past', T0 - 10_000))
    const far = table.set('far', token('far', T0 + 100 * 365 * 86_400_000))
    expect(table.fresh(past, T0)).toBe(false)
    expect(table.fresh(far, T0 + 20 * 365 * 86_400_000)).toBe(true)
  })

  it("keeps a new key's token in the host it is given when the host is in no table, and lets it go when dropped", () => {
    const table = tableOf(1)
    const host = new Slot<ReturnType<typeof token>>()
    const a = token('a')
    expect(table.set('a', a, host)).toBe(host)
    expect(host.token).toBe(a)
    expect(tableOf(1).set('a', a, host)).not.toBe(host) // in a table already: a slot of its own
    table.set('b', token('b')) // drops a
    expect(host.token).toBeUndefined()
    expect(host.promise).toBeUndefined()
    expect(table.set('a', a, host)).toBe(host) // out of every table: it may hold a token again
  })
})
