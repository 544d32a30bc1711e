/**
 * The minimal ACL that README.md gives for the store ("TLS and a Redis user of its own"), read from the
 * README itself, so that the ACL the tests run with is the one the README gives.
 */
import { readFileSync } from 'node:fs'

export interface ReadmeAcl {
  /** The user's name. */
  readonly username: string
  /** The store prefix its key and channel patterns allow. */
  readonly prefix: string
  /** `redis-server` arguments that create the user with `password`. */
  serverArgs(password: string, options?: { cluster?: boolean }): string[]
}

/** The README's ACL. */
export function readmeAcl(): ReadmeAcl {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
  const line = /^ACL SETUSER (\S+) (.+)$/m.exec(readme)
  const cluster = /On a Redis Cluster, the clients also read the slot map: add `([^`]+)`/.exec(readme)
  const username = line?.[1]
  const rules = line?.[2]?.split(' ') ?? []
  const prefix = rules.find((rule) => rule.startsWith('~'))?.slice(1, -1)
  if (username === undefined || prefix === undefined || cluster?.[1] === undefined) {
    throw new Error('README.md gives no ACL SETUSER line for the store, or no rules for a cluster')
  }
  const clusterRules = cluster[1].split(' ')
  return {
    username,
    prefix,
    serverArgs: (password, options = {}) => [
      '--user',
      username,
      ...rules.map((rule) => (rule === '>CHANGE-ME' ? `>${password}` : rule)),
      ...(options.cluster ? clusterRules : []),
    ],
  }
}
