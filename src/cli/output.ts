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

/** The real process streams. */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
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
