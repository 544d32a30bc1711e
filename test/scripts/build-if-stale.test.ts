/**
 * scripts/build-if-stale.sh (`npm start`, and the tests that run dist/) builds only when dist/ is missing,
 * incomplete, or older than what it is built from — in a scratch project whose build.sh records its calls.
 * File times are set explicitly: nothing waits for the clock.
 */
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../../scripts/build-if-stale.sh', import.meta.url))
const INPUTS = ['src/index.ts', 'src/redis/index.ts', 'tsup.config.ts', 'tsconfig.json', 'package.json']
const OUTPUTS = [
  'dist/node-guard.js',
  'dist/node-guard.cjs',
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/cli.js',
]
const BEFORE = new Date('2025-01-01T00:00:00Z')
const BUILT = new Date('2025-01-02T00:00:00Z')
const AFTER = new Date('2025-01-03T00:00:00Z')

let dir: string

function write(path: string, at: Date): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true })
  writeFileSync(join(dir, path), '')
  utimesSync(join(dir, path), at, at)
}

function run() {
  const result = spawnSync('sh', ['scripts/build-if-stale.sh'], { cwd: dir, encoding: 'utf8' })
  const log = readFileSync(join(dir, 'build.log'), 'utf8')
  return { status: result.status, stderr: result.stderr, builds: log.split('\n').filter(Boolean) }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-build-if-stale-'))
  mkdirSync(join(dir, 'scripts'))
  copyFileSync(script, join(dir, 'scripts/build-if-stale.sh'))
  // The stand-in build records its arguments and writes every output.
  const build = `echo "build $*" >> build.log\nmkdir -p dist\ntouch ${OUTPUTS.join(' ')}\n`
  writeFileSync(join(dir, 'scripts/build.sh'), build)
  chmodSync(join(dir, 'scripts/build.sh'), 0o755)
  writeFileSync(join(dir, 'build.log'), '')
  for (const input of INPUTS) write(input, BEFORE)
  utimesSync(join(dir, 'scripts/build.sh'), BEFORE, BEFORE)
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('build-if-stale', () => {
  it('builds when dist/ is missing, and says so', () => {
    const { status, stderr, builds } = run()
    expect(status).toBe(0)
    expect(stderr).toBe('building… (dist/node-guard.js is missing)\n')
    expect(builds).toEqual(['build --silent'])
  })

  it('does nothing, silently, when dist/ is newer than everything it is built from', () => {
    for (const output of OUTPUTS) write(output, BUILT)
    const { status, stderr, builds } = run()
    expect(status).toBe(0)
    expect(stderr).toBe('')
    expect(builds).toEqual([])
  })

  it('builds when one output is missing (an interrupted build)', () => {
    for (const output of OUTPUTS.filter((o) => o !== 'dist/index.d.ts')) write(output, BUILT)
    const { stderr, builds } = run()
    expect(stderr).toBe('building… (dist/index.d.ts is missing)\n')
    expect(builds).toHaveLength(1)
  })

  it.each(['src/redis/index.ts', 'tsup.config.ts', 'tsconfig.json', 'package.json', 'scripts/build.sh'])(
    'builds when %s changed after the last build, naming it',
    (input) => {
      for (const output of OUTPUTS) write(output, BUILT)
      utimesSync(join(dir, input), AFTER, AFTER)
      const { stderr, builds } = run()
      expect(stderr).toBe(`building… (${input} is newer than dist/)\n`)
      expect(builds).toHaveLength(1)
    },
  )

  it('compares with the oldest output: a source changed during the last build counts', () => {
    for (const output of OUTPUTS) write(output, AFTER)
    utimesSync(join(dir, 'dist/node-guard.js'), BEFORE, BEFORE) // written first, before the change
    utimesSync(join(dir, 'src/index.ts'), BUILT, BUILT)
    const { stderr, builds } = run()
    expect(stderr).toBe('building… (src/index.ts is newer than dist/)\n')
    expect(builds).toHaveLength(1)
  })

  it('is fresh after it built', () => {
    expect(run().builds).toHaveLength(1)
    for (const output of OUTPUTS) utimesSync(join(dir, output), BUILT, BUILT)
    expect(run().builds).toHaveLength(1)
  })
})
