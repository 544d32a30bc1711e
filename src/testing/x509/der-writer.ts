/**
 * A minimal DER (ASN.1 Distinguished Encoding Rules) writer: just what an X.509 v3 certificate
 * needs. Every function returns the complete TLV (tag, length, value) bytes.
 */

// Deliberate copy: the emulator shares no protocol code with the client (docs/architecture.md)
// (the client's: the DER reader of src/credentials/der.ts)
/** ASN.1 universal tags used by `certificate.ts`. */
const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/**
 * One TLV with any tag byte.
 *
 * @example
 * ```ts
 * derTlv(0x04, Buffer.from([1, 2])) // <04 02 01 02>
 * ```
 */
export function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content])
}

/**
 * A SEQUENCE of already-encoded elements.
 *
 * @example
 * ```ts
 * derSequence(derNull()) // <30 02 05 00>
 * ```
 */
export function derSequence(...elements: Uint8Array[]): Buffer {
  return derTlv(TAG.sequence, Buffer.concat(elements))
}

/**
 * A SET of already-encoded elements (callers pass one element, so no DER sorting is needed).
 *
 * @example
 * ```ts
 * derSet(derNull()) // <31 02 05 00>
 * ```
 */
export function derSet(...elements: Uint8Array[]): Buffer {
  return derTlv(TAG.set, Buffer.concat(elements))
}

/**
 * A non-negative INTEGER from big-endian magnitude bytes (a leading zero is added when the high bit
 * is set, and redundant leading zeros are dropped).
 *
 * @example
 * ```ts
 * derUnsignedInteger(Buffer.from([0x80])) // <02 02 00 80>
 * ```
 */
export function derUnsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const trimmed = Buffer.from(magnitude.subarray(start))
  const content = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed
  return derTlv(TAG.integer, content.length === 0 ? Buffer.from([0]) : content)
}

/**
 * A small non-negative INTEGER.
 *
 * @example
 * ```ts
 * derSmallInteger(2) // <02 01 02>
 * ```
 */
export function derSmallInteger(value: number): Buffer {
  const bytes: number[] = []
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return derUnsignedInteger(Buffer.from(bytes.length === 0 ? [0] : bytes))
}

/**
 * An OBJECT IDENTIFIER from its dotted form.
 *
 * @example
 * ```ts
 * derOid('2.5.4.3') // <06 03 55 04 03> (commonName)
 * ```
 */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const [first = 0, second = 0, ...rest] = arcs
  const bytes: number[] = [first * 40 + second]
  for (const arc of rest) bytes.push(...base128(arc))
  return derTlv(TAG.oid, Buffer.from(bytes))
}

function base128(value: number): number[] {
  const groups: number[] = [value % 128]
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) {
    groups.unshift((rest % 128) | 0x80)
  }
  return groups
}

/**
 * NULL.
 *
 * @example
 * ```ts
 * derNull() // <05 00>
 * ```
 */
export function derNull(): Buffer {
  return derTlv(TAG.null, Buffer.alloc(0))
}

/**
 * BOOLEAN.
 *
 * @example
 * ```ts
 * derBoolean(true) // <01 01 ff>
 * ```
 */
export function derBoolean(value: boolean): Buffer {
  return derTlv(TAG.boolean, Buffer.from([value ? 0xff : 0]))
}

/**
 * A BIT STRING of whole bytes, or with `unusedBits` trailing bits unused (key usage flags).
 *
 * @example
 * ```ts
 * derBitString(Buffer.from([0xa0]), 5) // <03 02 05 a0>
 * ```
 */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return derTlv(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]))
}

/**
 * An OCTET STRING.
 *
 * @example
 * ```ts
 * derOctetString(Buffer.from([1])) // <04 01 01>
 * ```
 */
export function derOctetString(bytes: Uint8Array): Buffer {
  return derTlv(TAG.octetString, bytes)
}

/**
 * A UTF8String.
 *
 * @example
 * ```ts
 * derUtf8String('Contoso') // <0c 07 …>
 * ```
 */
export function derUtf8String(text: string): Buffer {
  return derTlv(TAG.utf8String, Buffer.from(text, 'utf8'))
}

/**
 * An X.509 time: UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5).
 *
 * @example
 * ```ts
 * derTime(new Date('2030-01-01T00:00:00Z')) // UTCTime '300101000000Z'
 * ```
 */
export function derTime(date: Date): Buffer {
  const iso = date.toISOString()
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '')
  if (date.getUTCFullYear() < 2050) return derTlv(TAG.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
  return derTlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'))
}

/**
 * A context-specific tag: `[n] EXPLICIT` wraps a whole element, `[n] IMPLICIT` replaces the
 * primitive tag of its content bytes.
 *
 * @example
 * ```ts
 * derContext(0, derSmallInteger(2), 'explicit') // <a0 03 02 01 02> (X.509 version 3)
 * derContext(2, Buffer.from('localhost'), 'implicit') // <82 09 …> (dNSName)
 * ```
 */
export function derContext(tagNumber: number, content: Uint8Array, mode: 'explicit' | 'implicit'): Buffer {
  const tag = mode === 'explicit' ? 0xa0 | tagNumber : 0x80 | tagNumber
  return derTlv(tag, content)
}
