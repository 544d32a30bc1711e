import { describe, expect, it } from 'vitest'
import { explainCode, explainStatus } from '../../../src/testing/console/explanations.js'
import { AADSTS } from '../../../src/testing/entra/aadsts.js'

describe('AADSTS explanations', () => {
  it.each(Object.keys(AADSTS).map(Number))('code %i has its own meaning and hint', (code) => {
    const { meaning, hint } = explainCode(code)
    expect(meaning).not.toBe('an error of the authority')
    expect(meaning.length).toBeGreaterThan(8)
    expect(hint.length).toBeGreaterThan(8)
  })

  it('a code the console does not know gets a generic explanation', () => {
    expect(explainCode(1)).toEqual({ meaning: 'an error of the authority', hint: 'read error_description' })
  })
})

describe('answers without AADSTS code', () => {
  it.each([
    [429, 'status429', 'throttled (fault injected)'],
    [429, undefined, 'throttled'],
    ['dropped', 'drop', 'connection dropped without an answer (fault injected)'],
    [502, 'html', 'bad gateway: an HTML page (fault injected)'],
    [404, undefined, 'no such route'],
    [405, undefined, 'method not allowed'],
    [413, undefined, 'body too large'],
    [200, 'truncated', 'fault injected: truncated'],
  ] as const)('%s (fault %s): %s', (status, fault, meaning) => {
    expect(explainStatus(status, fault)?.meaning).toBe(meaning)
  })

  it('a plain answer needs no explanation', () => {
    expect(explainStatus(200, undefined)).toBeUndefined()
  })
})
