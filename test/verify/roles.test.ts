import { describe, expect, it } from 'vitest'
import { checkRoles, describeMissingRoles, toRoleRule } from '../../src/verify/roles.js'

describe('role requirements', () => {
  it('reads a plain array as all-of', () => {
    expect(toRoleRule(['A', 'B'])).toEqual({ all: ['A', 'B'], any: [] })
  })

  it('names the one missing role of an all-of rule, or every missing one', () => {
    expect(describeMissingRoles(['A'], { all: ['A', 'B'], any: [] })).toBe('this resource requires role B')
    expect(describeMissingRoles([], { all: ['A', 'B'], any: [] })).toBe('this resource requires roles A, B')
    expect(describeMissingRoles(['A', 'B'], { all: ['A', 'B'], any: [] })).toBeUndefined()
  })

  it('is met by any one role of an any-of rule, and names them all otherwise', () => {
    expect(describeMissingRoles(['B'], { all: [], any: ['A', 'B'] })).toBeUndefined()
    expect(describeMissingRoles(['C'], { all: [], any: ['A', 'B'] })).toBe(
      'this resource requires one of the roles A, B',
    )
  })

  it('requires both halves of a rule with all and any', () => {
    const rule = toRoleRule({ all: ['Read'], any: ['Admin', 'Owner'] })
    expect(rule && describeMissingRoles(['Read'], rule)).toBe(
      'this resource requires one of the roles Admin, Owner',
    )
    expect(rule && describeMissingRoles(['Owner'], rule)).toBe('this resource requires role Read')
  })

  it('compares role names exactly (case-sensitive, as Entra issues them)', () => {
    expect(describeMissingRoles(['orders.read'], { all: ['Orders.Read'], any: [] })).toBe(
      'this resource requires role Orders.Read',
    )
  })

  it('checks the verifier rule and then the route rule, reporting the first unmet', () => {
    expect(checkRoles(['A'], [toRoleRule(['A']), toRoleRule({ any: ['B'] })])).toEqual({
      reason: 'roles',
      description: 'this resource requires role B',
    })
    expect(checkRoles(['A'], [undefined, undefined])).toBeUndefined()
  })
})
