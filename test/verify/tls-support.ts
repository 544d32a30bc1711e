/**
 * Test support for the end-to-end tests of bound tokens: a real HTTPS server on 127.0.0.1 that asks
 * clients for a certificate (any certificate: RFC 8705 self-signed client certificates are checked by
 * thumbprint, not by chain), and undici clients that trust its certificate and present their own.
 */

import { once } from 'node:events'
import type { RequestListener } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { Agent, request } from 'undici'
import { type GeneratedCertificate, generateCertificate } from '../../src/testing/index.js'

export interface TlsApi {
  /** `https://127.0.0.1:{port}` */
  origin: string
  /** The server's certificate, for clients to trust. */
  certificate: GeneratedCertificate
  close(): Promise<void>
}

/** Starts an HTTPS server on 127.0.0.1, port 0, that requests (and does not require) client certificates. */
export async function startTlsApi(handler: RequestListener): Promise<TlsApi> {
  const certificate = await generateCertificate({ commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'] })
  const server: Server = createServer(
    {
      key: certificate.privateKeyPem,
      cert: certificate.certificatePem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    handler,
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificate,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

/** A client of the API: trusts its certificate and presents `clientCertificate`, if any. */
export function tlsClient(api: TlsApi, clientCertificate?: GeneratedCertificate) {
  const agent = new Agent({
    connect: {
      ca: api.certificate.certificatePem,
      ...(clientCertificate
        ? { cert: clientCertificate.certificatePem, key: clientCertificate.privateKeyPem }
        : {}),
    },
  })
  return {
    async send(
      path: string,
      options: { method?: string; headers?: Record<string, string> } = {},
    ): Promise<Reply> {
      const res = await request(`${api.origin}${path}`, {
        dispatcher: agent,
        method: (options.method ?? 'GET') as 'GET',
        headers: options.headers ?? {},
      })
      const text = await res.body.text()
      const body: unknown = text.startsWith('{') ? JSON.parse(text) : text
      return { status: res.statusCode, headers: res.headers, body }
    },
    close: () => agent.close(),
  }
}
