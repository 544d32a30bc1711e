/**
 * Reading a request body with a size cap: the token routes (1 MiB) and the console's fault form
 * (4 KiB) read their bodies through it.
 */
import type { IncomingMessage } from 'node:http'

/** Token and discovery request bodies above this are refused (413). */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * The whole body of `req`, or `undefined` as soon as it grows past `maxBytes` (the caller answers
 * 413; the rest is not read).
 *
 * @example
 * ```ts
 * const body = await readBody(req) // at most MAX_BODY_BYTES
 * if (body === undefined) return writeReply(res, textReply(413, 'Payload Too Large', traceId, 'text/plain'))
 * ```
 */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
