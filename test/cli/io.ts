import type { Io } from '../../src/cli/output.js'

/** An Io that records what a command prints. */
export function captureIo(env: NodeJS.ProcessEnv = {}, stdin = '') {
  const out: string[] = []
  const err: string[] = []
  const io: Io = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    color: false,
    env,
    readStdin: async () => stdin,
  }
  return {
    io,
    get stdout() {
      return out.join('\n')
    },
    get stderr() {
      return err.join('\n')
    },
  }
}
