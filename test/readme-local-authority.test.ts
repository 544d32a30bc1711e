/**
 * The README's one-line summary of `startLocalAuthority` names exactly its options and the members of
 * the handle it returns: the lists below are checked against the types by the compiler (a missing or
 * extra name does not compile), and against the README and a running authority here.
 */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { type LocalAuthority, type LocalAuthorityOptions, startLocalAuthority } from '../src/testing/index.js'

const OPTIONS = {
  port: true,
  https: true,
  registry: true,
  registryFile: true,
  clock: true,
  now: true,
  descriptionSeparator: true,
  cloud: true,
  issuer: true,
  assertionSkewSeconds: true,
  console: true,
  wellKnownResources: true,
} satisfies Record<keyof LocalAuthorityOptions, true>

const MEMBERS = {
  url: true,
  port: true,
  caPem: true,
  consoleUrl: true,
  tenants: true,
  apis: true,
  clients: true,
  managedIdentities: true,
  managedIdentity: true,
  requests: true,
  counters: true,
  faults: true,
  signingKeys: true,
  tokenEndpoint: true,
  authorityUrl: true,
  metadataUrl: true,
  jwksUrl: true,
  close: true,
} satisfies Record<Exclude<keyof LocalAuthority, symbol>, true>

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const summary = /`startLocalAuthority\(\{([^`]*)\}\)` → `\{([^`]*)\}`/.exec(readme.replace(/\n\s*/g, ' '))

/** The names in a `{ a?, b: 'x' | 'y', c(d, e?) }` summary, at the top level only. */
function names(list: string): string[] {
  let depth = 0
  let current = ''
  const parts: string[] = []
  for (const char of list) {
    if (char === '(') depth++
    if (char === ')') depth--
    if ((char === ',' || char === '|') && depth === 0) {
      parts.push(current)
      current = ''
    } else current += char
  }
  parts.push(current)
  return parts.map((part) => /^\s*([A-Za-z]+)/.exec(part)?.[1] ?? '').filter((name) => name !== '')
}

it('the README summarises startLocalAuthority', () => {
  expect(summary).not.toBeNull()
})

it('names every option of startLocalAuthority, and no other', () => {
  expect(names(summary?.[1] ?? '').sort()).toEqual(Object.keys(OPTIONS).sort())
})

it('names every member of the handle, and no other', () => {
  expect(names(summary?.[2] ?? '').sort()).toEqual(Object.keys(MEMBERS).sort())
})

it('the running handle has exactly those members (and Symbol.asyncDispose)', async () => {
  const authority = await startLocalAuthority()
  try {
    expect(Object.keys(authority).sort()).toEqual(Object.keys(MEMBERS).sort())
    expect(typeof authority[Symbol.asyncDispose]).toBe('function')
  } finally {
    await authority.close()
  }
})
