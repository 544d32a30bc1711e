/**
 * Every credential kind, configured against apps registered on the local authority, and the signed
 * client assertions the assertion kinds hand over (TEST-ONLY fixture keys, see
 * test/fixtures/credentials/README.md).
 */
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { importPKCS8, SignJWT } from 'jose'
import type { CredentialOptions } from '../../src/options.js'
import type { LocalAuthority } from '../../src/testing/index.js'
import { fixture, fixturePath, fixtureText, thumbprints } from '../credentials/fixtures.js'
import { LEAK_SECRET, PASSPHRASE, WRONG_SECRET } from './secrets.js'

/** The app that holds {@link LEAK_SECRET}. */
export const SECRET_APP = '1b7e4c2a-9d3f-4e5a-8b6c-7d8e9f0a1b2c'
/** The app that holds the main fixture certificate (rsa.cert.pem). */
export const CERT_APP = '2c8f5d3b-0e4a-4f6b-9c7d-8e9f0a1b2c3d'
/** An app that holds only the other certificate: the main key is refused for it (AADSTS700027). */
export const OTHER_APP = '3d9a6e4c-1f5b-4a7c-8d8e-9f0a1b2c3d4e'

/** Registers the suite's apps (the API `api://myapis/mywebapi` is the example registry's). */
export function registerLeakApps(authority: LocalAuthority): void {
  authority.clients.add({ appId: SECRET_APP, displayName: 'leak-secret', secrets: [{ value: LEAK_SECRET }] })
  authority.clients.add({
    appId: CERT_APP,
    displayName: 'leak-cert',
    certificates: [{ pem: fixtureText('rsa.cert.pem') }],
  })
  authority.clients.add({
    appId: OTHER_APP,
    displayName: 'leak-other',
    certificates: [{ pem: fixtureText('other.cert.pem') }],
  })
}

/** A client assertion as a signing service would make it: PS256, x5t#S256, aud the token endpoint. */
export async function signAssertion(clientId: string, audience: string, nowMs = Date.now()): Promise<string> {
  const key = await importPKCS8(fixtureText('rsa.key.pem'), 'PS256')
  const now = Math.floor(nowMs / 1000)
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprints('rsa').x5tS256 })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 600)
    .sign(key)
}

export interface KindContext {
  /** The token endpoint the client will call (an assertion's `aud`). */
  readonly tokenEndpoint: string
  /** A scratch directory for files. */
  readonly dir: string
}

export interface Configured {
  readonly clientId: string
  readonly credential: CredentialOptions
  readonly authMethod?: 'client_secret_basic'
}

export interface CredentialKind {
  readonly name: string
  /** The client as it should be: the authority issues it tokens. */
  good(ctx: KindContext): Promise<Configured>
  /** The client with a credential the authority refuses (401/400 AADSTS). */
  refused(ctx: KindContext): Promise<Configured>
  /** The AADSTS code of that refusal. */
  readonly refusedCode: number
}

const certificate = (credential: CredentialOptions): CredentialKind => ({
  name: '',
  refusedCode: 700027,
  good: async () => ({ clientId: CERT_APP, credential }),
  refused: async () => ({ clientId: OTHER_APP, credential }),
})

export const KINDS: readonly CredentialKind[] = [
  {
    name: 'clientSecret (client_secret_post)',
    refusedCode: 7000215,
    good: async () => ({ clientId: SECRET_APP, credential: { clientSecret: LEAK_SECRET } }),
    refused: async () => ({ clientId: SECRET_APP, credential: { clientSecret: WRONG_SECRET } }),
  },
  {
    name: 'clientSecret (client_secret_basic)',
    refusedCode: 7000215,
    good: async () => ({
      clientId: SECRET_APP,
      credential: { clientSecret: LEAK_SECRET },
      authMethod: 'client_secret_basic',
    }),
    refused: async () => ({
      clientId: SECRET_APP,
      credential: { clientSecret: WRONG_SECRET },
      authMethod: 'client_secret_basic',
    }),
  },
  {
    ...certificate({
      certificate: { privateKey: fixtureText('rsa.key.pem'), certificate: fixtureText('rsa.cert.pem') },
    }),
    name: 'certificate: plain PEM key',
  },
  {
    ...certificate({
      certificate: {
        privateKey: fixtureText('rsa.encrypted.pem'),
        certificate: fixture('rsa.cert.pem'),
        passphrase: PASSPHRASE,
      },
    }),
    name: 'certificate: encrypted PEM key with passphrase',
  },
  {
    ...certificate({ certificate: { privateKey: fixture('rsa.aes.pfx'), passphrase: PASSPHRASE } }),
    name: 'certificate: PFX with passphrase',
  },
  {
    ...certificate({ certificatePath: fixturePath('rsa.combined-encrypted.pem'), passphrase: PASSPHRASE }),
    name: 'certificatePath: PEM file, encrypted key',
  },
  {
    ...certificate({ certificatePath: fixturePath('rsa.aes.pfx'), passphrase: PASSPHRASE }),
    name: 'certificatePath: PFX file',
  },
  {
    name: 'clientAssertion: a string',
    refusedCode: 700027,
    good: async (ctx) => ({
      clientId: CERT_APP,
      credential: { clientAssertion: await signAssertion(CERT_APP, ctx.tokenEndpoint) },
    }),
    refused: async (ctx) => ({
      clientId: OTHER_APP,
      credential: { clientAssertion: await signAssertion(OTHER_APP, ctx.tokenEndpoint) },
    }),
  },
  {
    name: 'clientAssertion: a callback',
    refusedCode: 700027,
    good: async () => ({
      clientId: CERT_APP,
      credential: {
        clientAssertion: ({ clientId, tokenEndpoint }) => signAssertion(clientId, tokenEndpoint),
      },
    }),
    refused: async () => ({
      clientId: OTHER_APP,
      credential: {
        clientAssertion: ({ clientId, tokenEndpoint }) => signAssertion(clientId, tokenEndpoint),
      },
    }),
  },
  {
    name: 'federatedTokenFile',
    refusedCode: 700027,
    good: async (ctx) => {
      const path = join(ctx.dir, 'azure-identity-token')
      writeFileSync(path, await signAssertion(CERT_APP, ctx.tokenEndpoint))
      return { clientId: CERT_APP, credential: { federatedTokenFile: path } }
    },
    refused: async (ctx) => {
      const path = join(ctx.dir, 'azure-identity-token')
      writeFileSync(path, await signAssertion(OTHER_APP, ctx.tokenEndpoint))
      return { clientId: OTHER_APP, credential: { federatedTokenFile: path } }
    },
  },
]
