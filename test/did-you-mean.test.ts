import { describe, expect, it } from 'vitest'
import { closestName, editDistance } from '../src/did-you-mean.js'

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions, ignoring case', () => {
    expect(editDistance('clientID', 'clientId')).toBe(0)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('credentials', 'credential')).toBe(1)
    expect(editDistance('prot', 'port')).toBe(1)
    expect(editDistance('tokne', 'token')).toBe(1)
    expect(editDistance('ab', 'ba')).toBe(1)
  })
})

describe('closestName', () => {
  const names = ['tenant', 'clientId', 'credential', 'authorityHost', 'http']
  it('suggests a likely typo', () => {
    expect(closestName('credentials', names)).toBe('credential')
    expect(closestName('clientID', names)).toBe('clientId')
    expect(closestName('authorityhost', names)).toBe('authorityHost')
    expect(closestName('tennant', names)).toBe('tenant')
  })
  it('suggests nothing when no name is close', () => {
    expect(closestName('banana', names)).toBeUndefined()
    expect(closestName('x', names)).toBeUndefined()
    expect(closestName('anything', [])).toBeUndefined()
  })
})
