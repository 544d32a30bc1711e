import { PassThrough, Readable } from 'node:stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { lineWriter, processIo, styler } from '../../src/cli/output.js'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
})

describe('styler', () => {
  it('wraps text in ANSI codes when enabled, and leaves it as is when not', () => {
    expect(styler(true).red('refused')).toBe('\u001b[31mrefused\u001b[39m')
    expect(styler(true).bold('Header')).toBe('\u001b[1mHeader\u001b[22m')
    expect(styler(false).red('refused')).toBe('refused')
  })
})

describe('processIo', () => {
  it('writes lines to standard output and standard error', () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true)
    const err = vi.spyOn(process.stderr, 'write').mockReturnValue(true)
    const io = processIo()
    io.out('a token')
    io.err('a problem')
    expect(out).toHaveBeenCalledWith('a token\n')
    expect(err).toHaveBeenCalledWith('a problem\n')
  })

  it('colours only a TTY, and not when NO_COLOR is set', () => {
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY')
    const setTty = (value: boolean) =>
      Object.defineProperty(process.stdout, 'isTTY', { value, configurable: true, writable: true })
    try {
      setTty(false)
      expect(processIo().color).toBe(false)
      setTty(true)
      vi.stubEnv('NO_COLOR', '')
      expect(processIo().color).toBe(true)
      vi.stubEnv('NO_COLOR', '1')
      expect(processIo().color).toBe(false)
    } finally {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty)
      else Reflect.deleteProperty(process.stdout, 'isTTY')
    }
  })

  it('reads all of standard input as UTF-8', async () => {
    const euro = Buffer.from('€', 'utf8')
    const chunks = [Buffer.from('eyJ'), euro.subarray(0, 1), euro.subarray(1), Buffer.from('\n')]
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from(chunks) as typeof process.stdin)
    expect(await processIo().readStdin()).toBe('eyJ€\n')
  })
})

describe('lineWriter', () => {
  const failure = (code: string) => Object.assign(new Error(`${code}: write failed`), { code })

  it('drops what is left to write once the reader has gone (EPIPE)', () => {
    const stream = new PassThrough()
    const write = vi.spyOn(stream, 'write')
    const out = lineWriter(stream)
    out('first')
    stream.emit('error', failure('EPIPE'))
    out('second')
    expect(write.mock.calls).toEqual([['first\n']])
  })

  it('throws any other write error, as Node does without a listener', () => {
    const stream = new PassThrough()
    lineWriter(stream)
    expect(() => stream.emit('error', failure('EIO'))).toThrow('EIO: write failed')
  })
})
