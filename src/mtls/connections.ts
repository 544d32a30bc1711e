/**
 * The connections that present a client certificate (RFC 8705; docs/sender-constrained.md §3): one
 * undici Agent per certificate, used for the token request and for every request a token bound to that
 * certificate is attached to, so that a bound token only ever travels over a handshake made with its
 * certificate. When the certificate rotates, the new one gets its own Agent and the tokens requested
 * with it name it; the previous Agent stays for requests under way and is closed at the next rotation.
 */
import type { X509Certificate } from 'node:crypto'
// a namespace import: a named one would fail to link on Node 20, before the version guard can say why
import * as tls from 'node:tls'
import type { Agent, Dispatcher } from 'undici'
import type { Clock } from '../clock.js'
import type { ClientCertificate, PresentsCertificate } from '../credentials/client-certificate.js'
import { loadUndici, type Undici } from '../load-undici.js'
import { redactInstances } from '../redact.js'
import { acceptingLegacyHandlers } from './legacy-handler.js'
import type { TrustedCa } from './trusted-ca.js'

/**
 * The certificate a token request presented: the connection to send it and what was bound to.
 *
 * @example
 * ```ts
 * const { dispatcher, thumbprintSha256 } = await connections.current({ clock, signal })
 * ```
 */
export interface PresentedCertificate {
  readonly dispatcher: Dispatcher
  /** `cnf.x5t#S256` of the tokens requested over it. */
  readonly thumbprintSha256: string
}

/** How many certificates keep their connections: the one in service and the one before it. */
const KEPT = 2

/**
 * The mutual-TLS connections of one client.
 *
 * @example
 * ```ts
 * const connections = new CertificateConnections(credential, { ca: undefined })
 * const { dispatcher } = await connections.current({ clock: systemClock, signal })
 * connections.dispatcherFor(token.certificateThumbprint) // the same dispatcher
 * ```
 */
export class CertificateConnections {
  readonly #certificate: PresentsCertificate
  readonly #ca: TrustedCa | undefined
  /** Thumbprint → Agent (and the dispatcher handed out, which takes Node's fetch handlers too), oldest first. */
  readonly #agents = new Map<string, { readonly agent: Agent; readonly dispatcher: Dispatcher }>()
  #closed = false

  constructor(certificate: PresentsCertificate, options: { ca?: TrustedCa | undefined }) {
    this.#certificate = certificate
    this.#ca = options.ca
  }

  /** The certificate in service and the connection presenting it (created on first use). */
  async current(ctx: { readonly clock: Clock; readonly signal: AbortSignal }): Promise<PresentedCertificate> {
    const presented = await this.#certificate.clientCertificate(ctx)
    const thumbprintSha256 = presented.thumbprintSha256
    const entry = this.#agents.get(thumbprintSha256) ?? (await this.#connect(presented))
    return { dispatcher: entry.dispatcher, thumbprintSha256 }
  }

  /**
   * The connection presenting `presented`, made now unless another request made it while undici loaded
   * (on the first connection, not with the package: docs/architecture.md, "Loading on first use").
   */
  async #connect(presented: ClientCertificate): Promise<{ readonly dispatcher: Dispatcher }> {
    const undici = await loadUndici()
    let entry = this.#agents.get(presented.thumbprintSha256)
    if (entry === undefined) {
      const agent = certificateAgent(undici, presented, this.#ca)
      entry = { agent, dispatcher: acceptingLegacyHandlers(agent) }
      this.#agents.set(presented.thumbprintSha256, entry)
      this.#forgetOld()
    }
    return entry
  }

  /**
   * The connection presenting the certificate with this thumbprint, or `undefined` when that
   * certificate is no longer kept (rotated out): its tokens must then be replaced, never sent elsewhere.
   */
  dispatcherFor(thumbprintSha256: string): Dispatcher | undefined {
    return this.#closed ? undefined : this.#agents.get(thumbprintSha256)?.dispatcher
  }

  /** How many certificates have connections (at most the one in service and the one before). */
  get size(): number {
    return this.#agents.size
  }

  /** Closes every connection (the client is closing). */
  async close(): Promise<void> {
    this.#closed = true
    const entries = [...this.#agents.values()]
    this.#agents.clear()
    await Promise.all(entries.map(({ agent }) => agent.close().catch(() => undefined)))
  }

  #forgetOld(): void {
    while (this.#agents.size > KEPT) {
      const [oldest, { agent }] = this.#agents.entries().next().value as [string, { agent: Agent }]
      this.#agents.delete(oldest)
      void agent.close().catch(() => undefined)
    }
  }
}
redactInstances(CertificateConnections, (c) => ({ certificates: c.size }))

/**
 * An Agent whose every TLS handshake presents `presented`. The key goes into a connector's closure,
 * not into options an inspection of the Agent would print.
 */
function certificateAgent(
  { Agent, buildConnector }: Undici,
  presented: ClientCertificate,
  ca: TrustedCa | undefined,
): Agent {
  const connector = buildConnector({
    key: presented.key.export({ type: 'pkcs8', format: 'pem' }),
    cert: presented.chain.map((certificate: X509Certificate) => certificate.toString()).join('\n'),
    ...(ca === undefined ? {} : { ca: caList(ca) }),
  })
  return new Agent({ keepAliveTimeout: 30_000, connect: (options, callback) => connector(options, callback) })
}

/** Node's trusted CAs (NODE_EXTRA_CA_CERTS included) and `ca`: an option `ca` alone would replace them. */
function caList(ca: TrustedCa): Array<string | Buffer> {
  const extra = typeof ca === 'string' || Buffer.isBuffer(ca) ? [ca] : [...ca]
  return [...tls.getCACertificates('default'), ...extra]
}
