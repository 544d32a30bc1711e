/**
 * The Node.js version check behind `node-guard.ts` and the CLI: undici 8 (our HTTP client) needs
 * Node.js 22.19 and crashes on older releases with an unhelpful TypeError while it is being loaded, so the
 * package refuses older releases first, with an error naming both versions.
 *
 * This module imports nothing: it must be evaluated before any dependency.
 */

/** The oldest Node.js release this package runs on (package.json `engines.node`). */
export const MINIMUM_NODE_VERSION = '22.19.0'

const MINIMUM = [22, 19, 0] as const

/**
 * Whether `version` (`'24.1.0'`, `'v22.19.0'`, `process.versions.node`) is at least
 * {@link MINIMUM_NODE_VERSION}. A version that cannot be read (not `major.minor.patch`) is let through:
 * only a release known to be too old is refused.
 *
 * @example
 * ```ts
 * isSupportedNodeVersion('22.19.0') // true
 * isSupportedNodeVersion('v20.20.2') // false
 * ```
 */
export function isSupportedNodeVersion(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (match === null) return true
  const parts = [Number(match[1]), Number(match[2]), Number(match[3])]
  for (const [index, minimum] of MINIMUM.entries()) {
    const part = parts[index] ?? 0
    if (part !== minimum) return part > minimum
  }
  return true
}

/**
 * The error raised when the package is loaded on a Node.js older than {@link MINIMUM_NODE_VERSION}.
 * It names the required and the running version, and the Node.js binary that runs.
 *
 * @example
 * ```ts
 * const error = new UnsupportedNodeError('20.20.2', '/usr/bin/node')
 * error.code // 'ERR_NODE_VERSION_UNSUPPORTED'
 * error.message // 'oauth-client-credentials needs Node.js >= 22.19.0, but this is Node.js 20.20.2 (/usr/bin/node).'
 * ```
 */
export class UnsupportedNodeError extends Error {
  /** The stable code: branch on it, not on the message. */
  readonly code = 'ERR_NODE_VERSION_UNSUPPORTED'
  /** The oldest release supported. */
  readonly required = MINIMUM_NODE_VERSION
  /** The release that runs. */
  readonly running: string
  /** What to do about it. */
  readonly hint: string

  constructor(running: string, execPath: string) {
    const version = running.replace(/^v/, '')
    super(
      `oauth-client-credentials needs Node.js >= ${MINIMUM_NODE_VERSION}, ` +
        `but this is Node.js ${version} (${execPath}).`,
    )
    this.name = 'UnsupportedNodeError'
    this.running = version
    this.hint =
      `Run it with Node.js ${MINIMUM_NODE_VERSION} or newer (package.json engines.node): ` +
      'e.g. `nvm install 24`, or an installer from https://nodejs.org.'
  }
}

/**
 * The {@link UnsupportedNodeError} for a Node.js older than {@link MINIMUM_NODE_VERSION}, or `undefined`
 * on a supported one. Both arguments default to the running process's.
 *
 * @example
 * ```ts
 * const unsupported = unsupportedNode()
 * if (unsupported) process.stderr.write(`${unsupported.message} ${unsupported.hint}\n`)
 * ```
 */
export function unsupportedNode(
  running: string = process.versions.node,
  execPath: string = process.execPath,
): UnsupportedNodeError | undefined {
  return isSupportedNodeVersion(running) ? undefined : new UnsupportedNodeError(running, execPath)
}

/**
 * Throws {@link UnsupportedNodeError} on a Node.js older than {@link MINIMUM_NODE_VERSION}.
 *
 * @example
 * ```ts
 * assertSupportedNode() // on Node.js 20: throws ERR_NODE_VERSION_UNSUPPORTED
 * assertSupportedNode('24.1.0') // returns
 * ```
 */
export function assertSupportedNode(
  running: string = process.versions.node,
  execPath: string = process.execPath,
): void {
  const unsupported = unsupportedNode(running, execPath)
  if (unsupported !== undefined) throw unsupported
}
