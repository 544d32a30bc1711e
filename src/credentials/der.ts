/**
 * A minimal ASN.1 BER/DER reader: just enough to walk a PKCS#12 file. It reads definite and indefinite
 * lengths (some PKCS#12 writers use BER) and joins constructed OCTET STRINGs. It never interprets
 * what it reads beyond tags and lengths.
 */

/**
 * One ASN.1 element.
 *
 * @example
 * ```ts
 * const root: Asn1 = parseAsn1(bytes)
 * root.children.length
 * ```
 */
export interface Asn1 {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number
  /** The content octets of a primitive element (empty for a constructed one). */
  readonly content: Buffer
  /** The elements inside a constructed element (empty for a primitive one). */
  readonly children: readonly Asn1[]
}

/**
 * ASN.1 tags we use.
 *
 * @example
 * ```ts
 * child(root, 0, TAG.INTEGER)
 * ```
 */
export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** `[0]`, constructed (EXPLICIT, or IMPLICIT over a constructed type). */
  CONTEXT_0: 0xa0,
  /** `[0]` IMPLICIT OCTET STRING, primitive. */
  CONTEXT_0_PRIMITIVE: 0x80,
} as const

const MAX_DEPTH = 32

/**
 * Thrown for input that is not BER; callers turn it into a CredentialError.
 *
 * @example
 * ```ts
 * if (error instanceof Asn1Error) throw new Pkcs12Error('format', error.message)
 * ```
 */
export class Asn1Error extends Error {}

/**
 * Parses one element that fills `input` exactly.
 *
 * @example
 * ```ts
 * const root = parseAsn1(readFileSync('client.pfx'))
 * root.tag === TAG.SEQUENCE
 * ```
 */
export function parseAsn1(input: Buffer): Asn1 {
  const [element, end] = readElement(input, 0, 0)
  if (end !== input.length) throw new Asn1Error('trailing bytes after the ASN.1 element')
  return element
}

function readElement(input: Buffer, offset: number, depth: number): [Asn1, number] {
  if (depth > MAX_DEPTH) throw new Asn1Error('ASN.1 nested too deeply')
  const tag = byteAt(input, offset)
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('multi-byte ASN.1 tags are not supported')
  const constructed = (tag & 0x20) !== 0
  const [length, start] = readLength(input, offset + 1)
  if (length === undefined) {
    if (!constructed) throw new Asn1Error('indefinite length on a primitive ASN.1 element')
    return readIndefinite(input, tag, start, depth)
  }
  const end = start + length
  if (end > input.length) throw new Asn1Error('ASN.1 length runs past the end of the input')
  if (!constructed) return [{ tag, content: input.subarray(start, end), children: [] }, end]
  const children: Asn1[] = []
  let at = start
  while (at < end) {
    const [child, next] = readElement(input, at, depth + 1)
    children.push(child)
    at = next
  }
  if (at !== end) throw new Asn1Error('ASN.1 children overrun their parent')
  return [{ tag, content: Buffer.alloc(0), children }, end]
}

function readIndefinite(input: Buffer, tag: number, start: number, depth: number): [Asn1, number] {
  const children: Asn1[] = []
  let at = start
  while (byteAt(input, at) !== 0 || byteAt(input, at + 1) !== 0) {
    const [child, next] = readElement(input, at, depth + 1)
    children.push(child)
    at = next
  }
  return [{ tag, content: Buffer.alloc(0), children }, at + 2]
}

/** The length at `offset`: `[length, start of content]`; `undefined` length for indefinite. */
function readLength(input: Buffer, offset: number): [number | undefined, number] {
  const first = byteAt(input, offset)
  if (first < 0x80) return [first, offset + 1]
  const count = first & 0x7f
  if (count === 0) return [undefined, offset + 1]
  if (count > 4) throw new Asn1Error('ASN.1 length too large')
  let length = 0
  for (let i = 1; i <= count; i++) length = length * 256 + byteAt(input, offset + i)
  return [length, offset + 1 + count]
}

function byteAt(input: Buffer, offset: number): number {
  const value = input[offset]
  if (value === undefined) throw new Asn1Error('ASN.1 input ends early')
  return value
}

/**
 * The `index`th child of `node`, which must have tag `tag` in either form, primitive or constructed
 * (BER may segment an OCTET STRING into a constructed one).
 *
 * @example
 * ```ts
 * const version = child(root, 0, TAG.INTEGER)
 * ```
 */
export function child(node: Asn1, index: number, tag?: number): Asn1 {
  const found = node.children[index]
  if (found === undefined) throw new Asn1Error(`ASN.1 element has no child ${index}`)
  if (tag !== undefined && (found.tag | 0x20) !== (tag | 0x20)) {
    throw new Asn1Error(`ASN.1 tag 0x${found.tag.toString(16)} where 0x${tag.toString(16)} was expected`)
  }
  return found
}

/**
 * The bytes of an OCTET STRING (primitive, or constructed from segments as BER allows).
 *
 * @example
 * ```ts
 * const authSafe = octets(child(contentInfo, 1))
 * ```
 */
export function octets(node: Asn1): Buffer {
  if (node.children.length === 0) return node.content
  return Buffer.concat(node.children.map(octets))
}

/**
 * An OBJECT IDENTIFIER in dotted form (`1.2.840.113549.1.7.1`).
 *
 * @example
 * ```ts
 * oid(child(algorithm, 0)) // '1.2.840.113549.1.5.13'
 * ```
 */
export function oid(node: Asn1): string {
  if (node.tag !== TAG.OID || node.content.length === 0) throw new Asn1Error('expected an ASN.1 OID')
  const parts: number[] = []
  let value = 0
  let pending = false
  for (const byte of node.content) {
    value = value * 128 + (byte & 0x7f)
    pending = (byte & 0x80) !== 0
    if (!pending) {
      parts.push(value)
      value = 0
    }
  }
  if (pending) throw new Asn1Error('truncated ASN.1 OID')
  const first = parts.shift() ?? 0
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80]
  return [...head, ...parts].join('.')
}

/**
 * A small non-negative INTEGER (iteration counts, versions, key lengths).
 *
 * @example
 * ```ts
 * smallInt(child(root, 0, TAG.INTEGER)) // 3
 * ```
 */
export function smallInt(node: Asn1): number {
  if (node.tag !== TAG.INTEGER || node.content.length === 0 || node.content.length > 6) {
    throw new Asn1Error('expected a small ASN.1 INTEGER')
  }
  if ((node.content[0] ?? 0) & 0x80) throw new Asn1Error('expected a non-negative ASN.1 INTEGER')
  return node.content.readUIntBE(0, node.content.length)
}
