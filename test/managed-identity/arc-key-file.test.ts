import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CredentialError } from '../../src/errors.js'
import {
  ARC_KEY_MAX_BYTES,
  arcKeyDirectory,
  challengeFile,
  readArcKeyFile,
} from '../../src/managed-identity/arc-key-file.js'
import { useLoopbackGuard } from '../helpers/loopback-guard.js'

useLoopbackGuard()

const KEY = 'arc-key-contents-7d0f9a'
let root: string
let tokens: string
let outside: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'arc-key-'))
  tokens = join(root, 'tokens')
  outside = join(root, 'elsewhere')
  await mkdir(tokens)
  await mkdir(outside)
  await writeFile(join(tokens, 'good.key'), KEY)
  await writeFile(join(tokens, 'limit.key'), 'k'.repeat(ARC_KEY_MAX_BYTES))
  await writeFile(join(tokens, 'big.key'), 'k'.repeat(ARC_KEY_MAX_BYTES + 1))
  await writeFile(join(tokens, 'empty.key'), '')
  await writeFile(join(tokens, 'secret.txt'), KEY)
  await writeFile(join(outside, 'stolen.key'), 'not-for-arc')
  await symlink(join(outside, 'stolen.key'), join(tokens, 'escape.key'))
  await symlink(join(tokens, 'good.key'), join(tokens, 'alias.key'))
  await mkdir(join(tokens, 'dir.key'))
})
afterAll(async () => rm(root, { recursive: true, force: true }))

async function refusal(file: string): Promise<CredentialError> {
  const error = await readArcKeyFile(file, tokens).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(CredentialError)
  const refused = error as CredentialError
  expect(refused.message).toContain(file)
  expect(refused.message).not.toContain(KEY)
  expect(refused.message).not.toContain('not-for-arc')
  return refused
}

describe('readArcKeyFile', () => {
  it('reads a .key file directly in the directory', async () => {
    await expect(readArcKeyFile(join(tokens, 'good.key'), tokens)).resolves.toBe(KEY)
  })

  it(`reads exactly ${ARC_KEY_MAX_BYTES} bytes, and a symlink that stays in the directory`, async () => {
    await expect(readArcKeyFile(join(tokens, 'limit.key'), tokens)).resolves.toHaveLength(ARC_KEY_MAX_BYTES)
    await expect(readArcKeyFile(join(tokens, 'alias.key'), tokens)).resolves.toBe(KEY)
  })

  it('refuses a file outside the directory', async () => {
    expect((await refusal(join(outside, 'stolen.key'))).message).toMatch(/not directly in/)
  })

  it('refuses a path climbing out with ..', async () => {
    expect((await refusal(`${tokens}/../elsewhere/stolen.key`)).message).toMatch(/without "\.\."/)
  })

  it('refuses a relative path', async () => {
    await refusal('tokens/good.key')
  })

  it('refuses a name without the .key suffix', async () => {
    expect((await refusal(join(tokens, 'secret.txt'))).message).toMatch(/\.key/)
  })

  it(`refuses a file over ${ARC_KEY_MAX_BYTES} bytes`, async () => {
    expect((await refusal(join(tokens, 'big.key'))).message).toMatch(/larger than 4096 bytes/)
  })

  it('refuses a symlink that escapes the directory', async () => {
    expect((await refusal(join(tokens, 'escape.key'))).message).toMatch(/resolves to .*stolen\.key, outside/)
  })

  it('refuses an empty file, a directory and a missing file', async () => {
    expect((await refusal(join(tokens, 'empty.key'))).message).toMatch(/empty/)
    expect((await refusal(join(tokens, 'dir.key'))).message).toMatch(/not a regular file/)
    expect((await refusal(join(tokens, 'missing.key'))).hint).toMatch(/himds group/)
  })
})

describe('challengeFile', () => {
  it.each([
    ['Basic realm=/var/opt/azcmagent/tokens/a.key', '/var/opt/azcmagent/tokens/a.key'],
    ['basic realm="/var/opt/azcmagent/tokens/b.key"', '/var/opt/azcmagent/tokens/b.key'],
    [
      'Basic realm=C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens\\c.key',
      'C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens\\c.key',
    ],
  ])('reads %s', (header, file) => {
    expect(challengeFile(header)).toBe(file)
  })

  it.each([[undefined], ['Bearer realm=x'], ['Basic'], ['Basic realm=']])('finds no file in %s', (header) => {
    expect(challengeFile(header)).toBeUndefined()
  })
})

describe('arcKeyDirectory', () => {
  it('is fixed per platform', () => {
    expect(arcKeyDirectory('linux', {})).toBe('/var/opt/azcmagent/tokens')
    expect(arcKeyDirectory('win32', { ProgramData: 'D:\\Data' })).toBe(
      'D:\\Data\\AzureConnectedMachineAgent\\Tokens',
    )
    expect(arcKeyDirectory('win32', {})).toBe('C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens')
    expect(arcKeyDirectory('darwin', {})).toBeUndefined()
  })
})
