/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 (P-256, one day), made with
 * `openssl` in a temporary directory for the TLS tests: clients verify the server against the CA, as
 * they would in production, rather than turning verification off.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TlsFiles {
  /** The CA's certificate (PEM file): what clients trust. */
  readonly ca: string
  /** The server's certificate, issued by the CA for IP 127.0.0.1 (PEM file). */
  readonly cert: string
  /** The server's private key (PEM file). */
  readonly key: string
  /** The CA's certificate, read. */
  readonly caPem: Buffer
  /** Removes the files. */
  remove(): void
}

/** Fails with a clear message when `openssl` is not installed. */
function requireOpenssl(): void {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
  } catch {
    throw new Error(
      'openssl is not on PATH: the Redis TLS tests make their certificates with it (apt-get install -y openssl)',
    )
  }
}

/** Makes the CA, the server's key and its certificate. */
export function makeTlsFiles(): TlsFiles {
  requireOpenssl()
  const dir = mkdtempSync(join(tmpdir(), 'cc-redis-tls-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=test-only redis CA',
  )
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1')
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'server.ext',
    '-out',
    'server.crt',
  )
  return {
    ca: path('ca.crt'),
    cert: path('server.crt'),
    key: path('server.key'),
    caPem: readFileSync(path('ca.crt')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
