/**
 * What the CLI writes: plain text, with colour only when the stream is a TTY (and NO_COLOR is unset).
 */

/** Where a command writes, so tests can capture it. */
export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  /** Whether to colour the output. */
  color: boolean
  env: NodeJS.ProcessEnv
  /** Reads all of standard input. */
  readStdin: () => Promise<string>
}

/**
 * The real process streams. Once a stream's reader has gone (EPIPE: `… | head -1` has read its line),
 * what is left to print there is dropped: the command finishes with its own exit code, no stack trace.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), processIo())
 * ```
 */
export function processIo(): Io {
  return {
    out: lineWriter(process.stdout),
    err: lineWriter(process.stderr),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
  }
}

/**
 * Writes lines to `stream` until its reader goes away (EPIPE), then drops them. Any other write error
 * is thrown, as Node would without a listener.
 *
 * @example
 * ```ts
 * const out = lineWriter(process.stdout)
 * out('a line') // writes 'a line\n'
 * ```
 */
export function lineWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let readerGone = false
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    readerGone = true
  })
  return (text) => {
    if (!readerGone) stream.write(`${text}\n`)
  }
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const

/** A styler that colours only when `enabled`. */
export function styler(enabled: boolean) {
  const wrap =
    (name: keyof typeof CODES) =>
    (text: string): string =>
      enabled ? `\u001b[${CODES[name][0]}m${text}\u001b[${CODES[name][1]}m` : text
  return {
    bold: wrap('bold'),
    dim: wrap('dim'),
    red: wrap('red'),
    green: wrap('green'),
    yellow: wrap('yellow'),
    cyan: wrap('cyan'),
  }
}

/** Exit codes: 0 success, 1 the request or the token failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const
