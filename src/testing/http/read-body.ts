/**
 * Reading a request body with a size cap: the token routes (1 MiB) and the console's fault form
 * (4 KiB) read their bodies through it.
 */
import type { IncomingMessage } from 'node:http'

/**
 * The whole body of `req`, or `undefined` as soon as it grows past `maxBytes` (the caller answers
 * 413; the rest is not read).
 *
 * @example
 * ```ts
 * const body = await readBody(req, 1024 * 1024)
 * if (body === undefined) return writeReply(res, textReply(413, 'Payload Too Large', traceId, 'text/plain'))
 * ```
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
