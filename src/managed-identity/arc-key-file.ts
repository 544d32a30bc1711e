/**
 * The Azure Arc challenge's key file: the agent answers a first request with 401 and
 * `WWW-Authenticate: Basic realm=<file>`; the file's contents prove we run on the machine. We read it only
 * when it lies directly in the platform's token directory (after resolving symlinks), ends in `.key`
 * and holds at most 4096 bytes (docs/entra.md §10). Its contents never reach an error or a log.
 */
import { constants } from 'node:fs'
import { type FileHandle, open, realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, normalize } from 'node:path'
import { CredentialError } from '../errors.js'

/**
 * The largest key file read.
 *
 * @example
 * ```ts
 * if (stat.size > ARC_KEY_MAX_BYTES) refuse() // 4096
 * ```
 */
export const ARC_KEY_MAX_BYTES = 4096

/**
 * Where the Arc agent writes its key files on this platform, or `undefined` where Arc does not run.
 *
 * @example
 * ```ts
 * arcKeyDirectory('linux', process.env) // '/var/opt/azcmagent/tokens'
 * arcKeyDirectory('win32', { ProgramData: 'C:\\ProgramData' }) // 'C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens'
 * ```
 */
export function arcKeyDirectory(
  platform: NodeJS.Platform,
  variables: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (platform === 'linux') return '/var/opt/azcmagent/tokens'
  if (platform === 'win32') {
    return `${variables.ProgramData ?? 'C:\\ProgramData'}\\AzureConnectedMachineAgent\\Tokens`
  }
  return undefined
}

/**
 * The file a `WWW-Authenticate: Basic realm=<file>` challenge names, or `undefined` when the header is
 * not such a challenge.
 *
 * @example
 * ```ts
 * challengeFile('Basic realm=/var/opt/azcmagent/tokens/4b1c.key') // '/var/opt/azcmagent/tokens/4b1c.key'
 * ```
 */
export function challengeFile(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^\s*Basic\s+realm=(?:"([^"]+)"|(\S.*?))\s*$/i.exec(header)
  return match ? (match[1] ?? match[2]) : undefined
}

function refuse(file: string, why: string, hint: string): CredentialError {
  return new CredentialError(`The Azure Arc challenge named ${file}, which is refused: ${why}`, { hint })
}

const ACCESS_HINT =
  'Run as a user in the himds group (Linux) or the Hybrid agent extension applications group (Windows).'
const AGENT_HINT =
  'Only the Azure Connected Machine agent (himds) should answer on IDENTITY_ENDPOINT: check that the variable points at it.'

/** The checks that need no file system access. */
function checkName(file: string, directory: string): void {
  if (!isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
    throw refuse(file, 'it is not an absolute path without "..".', AGENT_HINT)
  }
  if (!basename(file).endsWith('.key')) throw refuse(file, 'its name does not end in .key.', AGENT_HINT)
  if (normalize(dirname(file)) !== normalize(directory)) {
    throw refuse(file, `it is not directly in ${directory}.`, AGENT_HINT)
  }
}

/**
 * Reads the key file `file` named by the Arc challenge, refusing any file outside `directory` (also
 * through a symlink), without the `.key` suffix, or over {@link ARC_KEY_MAX_BYTES} bytes. Throws a
 * {@link CredentialError} naming the file (never its contents).
 *
 * @example
 * ```ts
 * const secret = await readArcKeyFile('/var/opt/azcmagent/tokens/4b1c.key', '/var/opt/azcmagent/tokens')
 * headers.authorization = `Basic ${secret}`
 * ```
 */
export async function readArcKeyFile(file: string, directory: string): Promise<string> {
  checkName(file, directory)
  const [real, realDirectory] = await cannotRead(file, () =>
    Promise.all([realpath(file), realpath(directory)]),
  )
  if (dirname(real) !== realDirectory || !basename(real).endsWith('.key')) {
    throw refuse(file, `it resolves to ${real}, outside ${directory}.`, AGENT_HINT)
  }
  // O_NONBLOCK: a FIFO planted under the name must not hang us; it is then refused as not a regular file
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)
  const handle = await cannotRead(file, () => open(real, flags))
  try {
    return await readCapped(handle, file)
  } finally {
    await handle.close()
  }
}

async function cannotRead<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw new CredentialError(`The Azure Arc key file ${file} cannot be read.`, {
      cause: error,
      hint: ACCESS_HINT,
    })
  }
}

async function readCapped(handle: FileHandle, file: string): Promise<string> {
  const stat = await handle.stat()
  if (!stat.isFile()) throw refuse(file, 'it is not a regular file.', AGENT_HINT)
  const buffer = Buffer.alloc(ARC_KEY_MAX_BYTES + 1)
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
  if (bytesRead > ARC_KEY_MAX_BYTES || stat.size > ARC_KEY_MAX_BYTES) {
    throw refuse(file, `it is larger than ${ARC_KEY_MAX_BYTES} bytes.`, AGENT_HINT)
  }
  if (bytesRead === 0) throw refuse(file, 'it is empty.', AGENT_HINT)
  return buffer.subarray(0, bytesRead).toString('utf8')
}
