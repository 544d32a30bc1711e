/**
 * Warming a client at start-up: a list of tokens requested at once, so that a service's first requests
 * do not wait on the network. Each failure is reported, never thrown.
 */
import type { AccessToken } from './token.js'

/**
 * What {@link TokenClient.prewarm} obtained: the resources whose token is now cached, and those that
 * failed, with the error `getToken` would have thrown (in the order given).
 *
 * @example
 * ```ts
 * const { ok, failed }: PrewarmResult = await client.prewarm(['api://myapis/mywebapi'])
 * for (const { resource, error } of failed) console.warn('no token at start-up', { resource, error })
 * ```
 */
export interface PrewarmResult<Resource = string> {
  /** The resources whose token is cached, as given. */
  readonly ok: Resource[]
  /** The resources that got no token, as given, and why. */
  readonly failed: Array<{ readonly resource: Resource; readonly error: unknown }>
}

/**
 * Calls `getToken` for every resource at once and sorts the outcomes; never rejects.
 *
 * @example
 * ```ts
 * const result = await prewarmTokens(['api://a', 'api://b'], (resource) => client.getToken(resource))
 * ```
 */
export async function prewarmTokens<Resource>(
  resources: readonly Resource[],
  getToken: (resource: Resource) => Promise<AccessToken>,
): Promise<PrewarmResult<Resource>> {
  const outcomes = await Promise.allSettled(resources.map((resource) => getToken(resource)))
  const result: { ok: Resource[]; failed: Array<{ resource: Resource; error: unknown }> } = {
    ok: [],
    failed: [],
  }
  outcomes.forEach((outcome, index) => {
    const resource = resources[index] as Resource
    if (outcome.status === 'fulfilled') result.ok.push(resource)
    else result.failed.push({ resource, error: outcome.reason })
  })
  return result
}
