import { describe, expect, it } from 'vitest'
import {
  assertSupportedNode,
  isSupportedNodeVersion,
  MINIMUM_NODE_VERSION,
  UnsupportedNodeError,
  unsupportedNode,
} from '../src/node-version.js'

describe('isSupportedNodeVersion', () => {
  it.each([
    ['22.19.0', true],
    ['v22.19.0', true],
    ['22.19.1', true],
    ['22.20.0', true],
    ['23.0.0', true],
    ['24.22.3', true],
    ['100.0.0', true],
    ['22.18.9', false],
    ['22.9.0', false],
    ['v20.20.2', false],
    ['18.20.8', false],
    ['0.12.18', false],
    ['22.19.0-nightly20250101', true],
    ['22.18.0-rc.1', false],
  ])('%s → %s', (version, supported) => {
    expect(isSupportedNodeVersion(version)).toBe(supported)
  })

  it('lets through a version it cannot read (only a release known to be too old is refused)', () => {
    expect(isSupportedNodeVersion('')).toBe(true)
    expect(isSupportedNodeVersion('not-a-version')).toBe(true)
  })

  it('matches package.json engines.node', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE_VERSION.replace(/\.0$/, '')}`)
  })
})

describe('unsupportedNode', () => {
  it('names the required and the running version, and the binary', () => {
    const error = unsupportedNode('v20.20.2', '/usr/bin/node')
    expect(error).toBeInstanceOf(UnsupportedNodeError)
    expect(error?.code).toBe('ERR_NODE_VERSION_UNSUPPORTED')
    expect(error?.name).toBe('UnsupportedNodeError')
    expect(error?.message).toBe(
      'oauth-client-credentials needs Node.js >= 22.19.0, but this is Node.js 20.20.2 (/usr/bin/node).',
    )
    expect(error?.required).toBe('22.19.0')
    expect(error?.running).toBe('20.20.2')
    expect(error?.hint).toMatch(/Node\.js 22\.19\.0 or newer .*engines\.node.*nvm install 24/)
  })

  it('returns nothing on a supported release', () => {
    expect(unsupportedNode('22.19.0', '/usr/bin/node')).toBeUndefined()
  })

  it('checks the running process by default (a supported one, since the tests run)', () => {
    expect(unsupportedNode()).toBeUndefined()
  })
})

describe('assertSupportedNode', () => {
  it('throws ERR_NODE_VERSION_UNSUPPORTED on an old release', () => {
    expect(() => assertSupportedNode('22.18.0', '/opt/node/bin/node')).toThrow(
      expect.objectContaining({
        code: 'ERR_NODE_VERSION_UNSUPPORTED',
        message: expect.stringContaining('this is Node.js 22.18.0 (/opt/node/bin/node)'),
      }),
    )
  })

  it('returns on a supported release, and on the running one', () => {
    expect(() => assertSupportedNode('24.0.0', '/usr/bin/node')).not.toThrow()
    expect(() => assertSupportedNode()).not.toThrow()
  })
})
