/**
 * Azure Arc's proof of running on the machine, emulated: each challenge writes a new random key into
 * a `.key` file of a temporary directory (the agent writes `/var/opt/azcmagent/tokens/…`); the key is
 * good for one retry. Keys never reach the request log.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The key files of one local authority.
 *
 * @example
 * ```ts
 * const keys = await ArcKeys.create()
 * const file = await keys.challenge() // …/oauth-cc-arc-XXXX/3f9a….key
 * keys.redeem(await readFile(file, 'utf8')) // true, once
 * ```
 */
export class ArcKeys {
  /** The directory the key files are written to (a client under test reads them only from here). */
  readonly directory: string
  readonly #pending = new Map<string, Buffer>()

  private constructor(directory: string) {
    this.directory = directory
  }

  /** Makes the temporary directory. */
  static async create(): Promise<ArcKeys> {
    return new ArcKeys(await mkdtemp(join(tmpdir(), 'oauth-cc-arc-')))
  }

  /** Writes a new key file (mode 0600) and returns its path, the challenge's realm. */
  async challenge(): Promise<string> {
    const name = randomBytes(16).toString('hex')
    const key = randomBytes(32).toString('hex')
    const file = join(this.directory, `${name}.key`)
    await writeFile(file, key, { mode: 0o600 })
    this.#pending.set(file, Buffer.from(key))
    return file
  }

  /** Whether `presented` is a key not yet used; a match is used up and its file deleted. */
  async redeem(presented: string): Promise<boolean> {
    const sent = Buffer.from(presented)
    for (const [file, key] of this.#pending) {
      if (key.length === sent.length && timingSafeEqual(key, sent)) {
        this.#pending.delete(file)
        await rm(file, { force: true })
        return true
      }
    }
    return false
  }

  /** Removes the directory and every key file in it. */
  async close(): Promise<void> {
    this.#pending.clear()
    await rm(this.directory, { recursive: true, force: true })
  }
}
