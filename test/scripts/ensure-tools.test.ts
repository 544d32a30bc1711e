/**
 * scripts/ensure-tools.sh (run by `npm test` for redis-server and chromium): with stand-ins for id, sudo,
 * apt-get and apt-cache on a PATH of their own, so nothing is installed and nothing leaves the machine.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../../scripts/ensure-tools.sh', import.meta.url))

interface Machine {
  /** `id -u` */
  uid?: number
  /** `sudo -n true` works, asks for a password, or there is no sudo. */
  sudo?: 'works' | 'password' | 'absent'
  /** Whether there is an apt-get at all. */
  aptGet?: boolean
  /** Whether the package lists know the packages before an `apt-get update`. */
  listsKnown?: boolean
  /** `apt-get install` fails the first time (stale lists), or every time. */
  installFails?: 'once' | 'always'
  /** Commands already on PATH. */
  present?: string[]
}

let dir: string
let bin: string

const STUBS = {
  id: 'echo "$FAKE_UID"',
  sudo: `echo "sudo $*" >> "$LOG"
[ "$FAKE_SUDO" = works ] || exit 1
shift
[ "$1" = true ] && exit 0
exec "$@"`,
  'apt-cache': `if [ -e "$STATE/updated" ] || [ "$LISTS_KNOWN" = 1 ]; then echo "  Candidate: 1.0"; else echo "  Candidate: (none)"; fi`,
  // Installs a package by putting a command of the same name on PATH.
  'apt-get': `echo "apt-get $* (DEBIAN_FRONTEND=$DEBIAN_FRONTEND)" >> "$LOG"
for arg in "$@"; do
  case "$arg" in
    update) : > "$STATE/updated" ;;
    install) installing=1 ;;
    -*|DPkg::*) ;;
    *) [ -n "$installing" ] && printf '#!/bin/sh\\n' > "$BIN/$arg" && /bin/chmod +x "$BIN/$arg" ;;
  esac
done
if [ -n "$installing" ] && { [ "$INSTALL_FAILS" = always ] || { [ "$INSTALL_FAILS" = once ] && [ ! -e "$STATE/failed" ]; }; }; then
  : > "$STATE/failed"; echo "E: Failed to fetch" >&2; exit 100
fi
exit 0`,
}

function stub(name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`)
  chmodSync(join(bin, name), 0o755)
}

function run(machine: Machine, ...specs: string[]) {
  for (const [name, body] of Object.entries(STUBS)) {
    if (name === 'sudo' && machine.sudo === 'absent') continue
    if (name === 'apt-get' && machine.aptGet === false) continue
    stub(name, body)
  }
  for (const present of machine.present ?? []) stub(present, '')
  const env = {
    PATH: bin,
    BIN: bin,
    LOG: join(dir, 'log'),
    STATE: dir,
    FAKE_UID: String(machine.uid ?? 0),
    FAKE_SUDO: machine.sudo ?? 'absent',
    LISTS_KNOWN: machine.listsKnown === false ? '0' : '1',
    INSTALL_FAILS: machine.installFails ?? 'never',
  }
  const result = spawnSync('/bin/sh', [script, ...specs], { env, encoding: 'utf8' })
  const log = existsSync(env.LOG) ? readFileSync(env.LOG, 'utf8').split('\n').filter(Boolean) : []
  return { status: result.status, stderr: result.stderr, log }
}

const INSTALL = 'apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends'
const UPDATE = 'apt-get -q -o DPkg::Lock::Timeout=300 update'

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-ensure-tools-'))
  bin = join(dir, 'bin')
  spawnSync('mkdir', [bin])
  symlinkSync('/usr/bin/env', join(bin, 'env')) // the script runs apt-get through env
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('ensure-tools', () => {
  it('does nothing, silently, when every command is on PATH', () => {
    const { status, stderr, log } = run({ present: ['tool-a', 'tool-b'] }, 'tool-a', 'tool-b')
    expect(status).toBe(0)
    expect(stderr).toBe('')
    expect(log).toEqual([])
  })

  it('as root: installs the missing packages with apt-get directly, saying so, without an update', () => {
    const { status, stderr, log } = run({ present: ['tool-a'] }, 'tool-a', 'tool-b', 'tool-c')
    expect(status).toBe(0)
    expect(stderr.split('\n')[0]).toBe(
      "tool-b, tool-c not found: installing Debian's tool-b tool-c with apt-get install …",
    )
    expect(stderr).toContain('installed tool-b tool-c')
    expect(log).toEqual([`${INSTALL} tool-b tool-c (DEBIAN_FRONTEND=noninteractive)`])
  })

  it('installs the package named for a command (COMMAND=PACKAGE)', () => {
    const { status, log } = run({}, 'pkg-x=pkg-x')
    expect(status).toBe(0)
    expect(log).toEqual([`${INSTALL} pkg-x (DEBIAN_FRONTEND=noninteractive)`])
  })

  it('runs apt-get update first when the package lists do not know a package (a fresh container)', () => {
    const { status, stderr, log } = run({ listsKnown: false }, 'tool-a')
    expect(status).toBe(0)
    expect(stderr).toContain('updating the package lists: apt-get update …')
    expect(log).toEqual([
      `${UPDATE} (DEBIAN_FRONTEND=noninteractive)`,
      `${INSTALL} tool-a (DEBIAN_FRONTEND=noninteractive)`,
    ])
  })

  it('updates the lists and tries once more when an install fails', () => {
    const { status, stderr, log } = run({ installFails: 'once' }, 'tool-a')
    expect(status).toBe(0)
    expect(stderr).toContain('apt-get install failed: updating the package lists and trying once more')
    expect(log).toEqual([
      `${INSTALL} tool-a (DEBIAN_FRONTEND=noninteractive)`,
      `${UPDATE} (DEBIAN_FRONTEND=noninteractive)`,
      `${INSTALL} tool-a (DEBIAN_FRONTEND=noninteractive)`,
    ])
  })

  it('not root: installs through sudo -n when that works without a password', () => {
    const { status, stderr, log } = run({ uid: 1000, sudo: 'works' }, 'tool-a')
    expect(status).toBe(0)
    expect(stderr.split('\n')[0]).toBe(
      "tool-a not found: installing Debian's tool-a with sudo -n apt-get install …",
    )
    expect(log).toEqual([
      'sudo -n true',
      `sudo -n env DEBIAN_FRONTEND=noninteractive ${INSTALL} tool-a`,
      `${INSTALL} tool-a (DEBIAN_FRONTEND=noninteractive)`,
    ])
  })

  it.each([
    ['sudo asks for a password', 'password'],
    ['there is no sudo', 'absent'],
  ] as const)('not root and %s: fails at once with one line naming the command', (_, sudo) => {
    const { status, stderr, log } = run({ uid: 1000, sudo }, 'redis-server', 'chromium')
    expect(status).toBe(1)
    expect(stderr).toBe(
      'redis-server, chromium not found: run `sudo apt-get install -y redis-server chromium`, then npm test again\n',
    )
    expect(log.filter((line) => line.startsWith('apt-get'))).toEqual([])
  })

  it('without apt-get: fails at once with one line', () => {
    const { status, stderr } = run({ aptGet: false }, 'tool-a')
    expect(status).toBe(1)
    expect(stderr).toBe(
      "tool-a not found: install tool-a with your system's package manager (there is no apt-get here), then run npm test again\n",
    )
  })

  it('fails when the package did not put the command on PATH', () => {
    const { status, stderr } = run({}, 'tool-a=pkg-a')
    expect(status).toBe(1)
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('tool-a is still not on PATH after installing pkg-a')
  })

  it('fails when apt-get cannot install even with fresh lists, naming the packages', () => {
    const { status, stderr, log } = run({ installFails: 'always' }, 'tool-a')
    expect(status).toBe(1)
    expect(log.filter((line) => line.includes(' install '))).toHaveLength(2)
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'tool-a not found, and apt-get could not install tool-a (see above)',
    )
  })
})
