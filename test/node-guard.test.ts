/**
 * The built package on a Node.js older than 22.19: every entry (ESM and CJS, through the exports map) and
 * the CLI fail at once with an error naming the required and the running version — not with undici's
 * "Cannot read properties of undefined (reading 'bind')" while it loads.
 *
 * Run for real under the machine's own node (/usr/bin/node, 20 on the CI machine), and always under this
 * Node.js with its version faked to 20.20.2 by a preloaded module.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { isSupportedNodeVersion } from '../src/node-version.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const FAKE_VERSION = '20.20.2'
const fakeVersion = `data:text/javascript,${encodeURIComponent(
  `Object.defineProperty(process.versions, 'node', { value: '${FAKE_VERSION}' })`,
)}`

const SPECIFIERS = [
  'oauth-client-credentials',
  'oauth-client-credentials/redis',
  'oauth-client-credentials/opentelemetry',
  'oauth-client-credentials/testing',
  'oauth-client-credentials/verify',
]
/** Each way in: `import()` and `require()` of every entry, and the CLI. */
const RUNS: Array<[string, string[]]> = [
  ...SPECIFIERS.map((s): [string, string[]] => [`import('${s}')`, ['-e', 'import(process.argv[1])', s]]),
  ...SPECIFIERS.map((s): [string, string[]] => [`require('${s}')`, ['-e', 'require(process.argv[1])', s]]),
  ['the CLI: oauth-client-credentials --help', ['dist/cli.js', '--help']],
]

function run(node: string, args: string[]) {
  const result = spawnSync(node, args, { cwd: root, encoding: 'utf8', timeout: 30_000 })
  return { status: result.status, stderr: result.stderr }
}

/** The machine's own node (the system one), else this one. */
const machineNode = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath
const machineVersion = spawnSync(machineNode, ['-p', 'process.versions.node'], {
  encoding: 'utf8',
}).stdout.trim()

beforeAll(() => {
  const build = spawnSync('sh', ['scripts/build-if-stale.sh'], { cwd: root, encoding: 'utf8' })
  expect(build.status, build.stderr).toBe(0)
}, 300_000)

describe(`under the machine's node (${machineNode}, ${machineVersion})`, () => {
  const supported = isSupportedNodeVersion(machineVersion)
  it.each(RUNS)(
    supported ? '%s loads (a supported release)' : '%s fails naming 22.19 and the running version',
    (_, args) => {
      const { status, stderr } = run(machineNode, args)
      if (supported) {
        expect(stderr).not.toContain('ERR_NODE_VERSION_UNSUPPORTED')
        expect(status).toBe(0)
        return
      }
      expect(status).toBe(1)
      expect(stderr).toContain(`needs Node.js >= 22.19.0, but this is Node.js ${machineVersion}`)
      expect(stderr).not.toContain("reading 'bind'")
    },
  )
})

describe(`under this Node.js with process.versions.node faked to ${FAKE_VERSION}`, () => {
  it.each(RUNS)('%s fails naming 22.19 and the running version', (_, args) => {
    const { status, stderr } = run(process.execPath, ['--import', fakeVersion, ...args])
    expect(status).toBe(1)
    expect(stderr).toContain(`needs Node.js >= 22.19.0, but this is Node.js ${FAKE_VERSION}`)
  })

  it('the library says so with a stable code', () => {
    const { stderr } = run(process.execPath, ['--import', fakeVersion, '-e', `require('${SPECIFIERS[0]}')`])
    expect(stderr).toContain("code: 'ERR_NODE_VERSION_UNSUPPORTED'")
  })
})
