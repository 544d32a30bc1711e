/**
 * The schema of the `credential` option. The kind is chosen by the key present (`clientSecret`,
 * `certificate`, …), then that kind's schema alone is applied, so a mistake is reported against the kind
 * the caller meant; a missing credential, one naming no kind and one naming several each say so. Every
 * schema is built on first use (docs/architecture.md, "Loading on first use").
 */
import { KeyObject, X509Certificate } from 'node:crypto'
import type { z } from 'zod'
import type { CredentialOptions } from './credential-options.js'
import type { ClientAssertionCallback } from './credentials/assertion.js'
import type { CertificateInput, PrivateKeyInput } from './credentials/key-material.js'
import type { SigningKeyInput } from './credentials/private-key.js'
import type { CertificateProvider, ClientSecretProvider } from './credentials/provider.js'
import { managedIdentitySchema } from './managed-identity-schema.js'
import { type OptionIssue, unknownKeysIssue } from './option-problems.js'
import { textOption, WHITESPACE_PROBLEM } from './option-values.js'
import { keysAt } from './schema-keys.js'
import { lazySchema, type Zod } from './validation/zod.js'

const privateKeySchema = lazySchema((z) =>
  z.custom<PrivateKeyInput>(
    (value) =>
      (typeof value === 'string' && value.length > 0) ||
      value instanceof Uint8Array ||
      value instanceof KeyObject,
    'must be PEM text, a Buffer (PEM, DER or PKCS#12) or a private KeyObject',
  ),
)

const signingKeySchema = lazySchema((z) =>
  z.custom<SigningKeyInput>(
    (value) =>
      (typeof value === 'string' && value.length > 0) ||
      value instanceof Uint8Array ||
      value instanceof KeyObject ||
      (typeof value === 'object' && value !== null && typeof (value as { kty?: unknown }).kty === 'string'),
    'must be PEM text, DER bytes, a private KeyObject or a private JWK',
  ),
)

const certificateItem = (value: unknown) =>
  (typeof value === 'string' && value.length > 0) ||
  value instanceof Uint8Array ||
  value instanceof X509Certificate

const certificateInputSchema = lazySchema((z) =>
  z.custom<CertificateInput>(
    (value) =>
      certificateItem(value) || (Array.isArray(value) && value.length > 0 && value.every(certificateItem)),
    'must be PEM text (one certificate or a leaf-first chain), DER bytes, an X509Certificate, or a list of them',
  ),
)

/** Options shared by the credentials that sign an assertion with a certificate. */
const signingFields = (z: Zod) => ({
  passphrase: z.string().optional(),
  sendCertificateChain: z.boolean().optional(),
  algorithm: z.enum(['PS256', 'RS256']).optional(),
  audience: textOption('is empty: omit it to use the token endpoint').optional(),
  keyId: textOption('is empty: omit it or give the key id registered with the server').optional(),
})

const clientAssertionSchema = lazySchema((z) =>
  z
    .custom<string | ClientAssertionCallback>(
      (value) => typeof value === 'string' || typeof value === 'function',
      'must be a non-empty JWT string or a function returning one',
    )
    .check((ctx) => {
      if (typeof ctx.value !== 'string') return
      const message =
        ctx.value.trim() === ''
          ? 'must be a non-empty JWT string or a function returning one'
          : ctx.value.trim() === ctx.value
            ? undefined
            : WHITESPACE_PROBLEM
      if (message !== undefined) ctx.issues.push({ code: 'custom', input: undefined, message })
    }),
)

/**
 * The key and certificate of `credential: { certificate }`, given as values (or returned by a provider).
 *
 * @example
 * ```ts
 * certificateKeySchema().safeParse({ privateKey: keyPem, certificate: certPem }).success
 * ```
 */
export const certificateKeySchema = lazySchema((z) =>
  z.strictObject({
    privateKey: privateKeySchema(),
    certificate: certificateInputSchema().optional(),
    ...signingFields(z),
  }),
)

const secretValueSchema = lazySchema(() =>
  textOption('is empty: give the secret Value from the app registration'),
)
const secretProviderSchema = lazySchema((z) =>
  z.custom<ClientSecretProvider>((value) => typeof value === 'function'),
)
const certificateProviderSchema = lazySchema((z) =>
  z.custom<CertificateProvider>((value) => typeof value === 'function'),
)

/**
 * The schema of each credential kind, by the key that names it.
 *
 * @example
 * ```ts
 * kindSchemas().clientSecret.parse({ clientSecret })
 * ```
 */
export const kindSchemas = lazySchema((z) => ({
  clientSecret: z.strictObject({
    clientSecret: z.union([secretProviderSchema(), secretValueSchema()]),
  }),
  certificate: z.strictObject({
    certificate: z.union([certificateProviderSchema(), certificateKeySchema()]),
  }),
  certificatePath: z.strictObject({
    certificatePath: textOption('is empty: give the path of the PEM or PFX file'),
    ...signingFields(z),
  }),
  privateKey: z.strictObject({
    privateKey: signingKeySchema(),
    keyId: textOption('is empty: omit it or give the key id registered with the server').optional(),
    algorithm: z.enum(['RS256', 'PS256', 'ES256', 'EdDSA']).optional(),
    audience: textOption('is empty: omit it to use the token endpoint').optional(),
    passphrase: z.string().optional(),
  }),
  clientAssertion: z.strictObject({ clientAssertion: clientAssertionSchema() }),
  federatedTokenFile: z.strictObject({
    federatedTokenFile: textOption('is empty: give the path of the federated token file'),
  }),
  managedIdentity: z.strictObject({
    managedIdentity: managedIdentitySchema(),
    audience: textOption(
      "is empty: omit it to use the cloud's api://AzureADTokenExchange audience",
    ).optional(),
  }),
}))

type Kind = keyof ReturnType<typeof kindSchemas>
// listed, not read off kindSchemas(), so that a credential's kind is told without building every schema
const KINDS: readonly Kind[] = [
  'clientSecret',
  'certificate',
  'certificatePath',
  'privateKey',
  'clientAssertion',
  'federatedTokenFile',
  'managedIdentity',
]
const KIND_LIST =
  'clientSecret, certificate, certificatePath, privateKey, clientAssertion, federatedTokenFile or managedIdentity'
const allKeys = lazySchema(() => [
  ...new Set(Object.values(kindSchemas()).flatMap((schema) => Object.keys(schema.shape))),
])

/**
 * Every credential kind as one union: the type the public {@link CredentialOptions} must equal.
 *
 * @example
 * ```ts
 * type Input = z.input<ReturnType<typeof credentialKindsSchema>>
 * ```
 */
export const credentialKindsSchema = lazySchema((z) => z.union(Object.values(kindSchemas())))

/**
 * The `credential` option: exactly one kind, validated by that kind's schema.
 *
 * @example
 * ```ts
 * credentialSchema().parse({ clientSecret: process.env.CLIENT_SECRET })
 * ```
 */
export const credentialSchema = lazySchema((z) =>
  z
    .custom<CredentialOptions>(() => true)
    .check((ctx) => {
      ctx.issues.push(...credentialIssues(ctx.value))
    }),
)

function credentialIssues(value: unknown): OptionIssue[] {
  const shape = shapeProblem(value)
  if (shape !== undefined) return [{ code: 'custom', input: undefined, path: [], message: shape }]
  const record = value as Record<string, unknown>
  const kinds = KINDS.filter((kind) => Object.hasOwn(record, kind))
  if (kinds.length > 1) {
    const message = `holds more than one credential kind (${kinds.join(', ')}): give exactly one of ${KIND_LIST}`
    return [{ code: 'custom', input: undefined, path: [], message }]
  }
  const [kind] = kinds
  if (kind === undefined) return noKindIssues(record)
  const schema = validationSchema(kind, record)
  const result = schema.safeParse(value)
  if (result.success) return []
  return result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? unknownKeysIssue(issue.keys, keysAt(schema, issue.path) ?? [], issue.path)
      : (issue as OptionIssue),
  )
}

/** The provider form and the value form as separate schemas, so that a value's issues keep their paths. */
const formSchemas = lazySchema((z) => ({
  clientSecret: {
    provider: z.strictObject({ clientSecret: secretProviderSchema() }),
    value: z.strictObject({ clientSecret: secretValueSchema() }),
  },
  certificate: {
    provider: z.strictObject({ certificate: certificateProviderSchema() }),
    value: z.strictObject({ certificate: certificateKeySchema() }),
  },
}))

function validationSchema(kind: Kind, record: Record<string, unknown>): z.ZodObject {
  if (kind !== 'clientSecret' && kind !== 'certificate') return kindSchemas()[kind]
  return formSchemas()[kind][typeof record[kind] === 'function' ? 'provider' : 'value']
}

/**
 * What a missing `credential` is told.
 *
 * @example
 * ```ts
 * issues.push({ code: 'custom', input: undefined, path: ['credential'], message: CREDENTIAL_MISSING })
 * ```
 */
export const CREDENTIAL_MISSING = `is missing: give exactly one of ${KIND_LIST}`

function shapeProblem(value: unknown): string | undefined {
  if (value === undefined) return CREDENTIAL_MISSING
  if (typeof value === 'string') {
    return `is a string: put it in the kind it is, e.g. { clientSecret: … }: one of ${KIND_LIST}`
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `must be an object holding exactly one of ${KIND_LIST}`
  }
  return undefined
}

function noKindIssues(record: Record<string, unknown>): OptionIssue[] {
  const unknown = Object.keys(record).filter((key) => !allKeys().includes(key))
  if (unknown.length > 0) return [unknownKeysIssue(unknown, KINDS, [])]
  return [
    { code: 'custom', input: undefined, path: [], message: `names no credential: give one of ${KIND_LIST}` },
  ]
}
