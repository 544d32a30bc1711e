/**
 * The public shapes of the `credential` option, one interface per kind, written out so that a hover shows
 * what each field means and its default. `test/option-types.test.ts` proves them equal to the input
 * types of the schemas in `credential-schema.ts`, which validate them.
 */
import type { ClientAssertionCallback } from './credentials/assertion.js'
import type { CertificateInput, PrivateKeyInput } from './credentials/key-material.js'
import type { KeyAlgorithm, SigningKeyInput } from './credentials/private-key.js'
import type { CertificateProvider, ClientSecretProvider } from './credentials/provider.js'
import type { ManagedIdentityOptions } from './managed-identity/identity.js'

/**
 * A client secret.
 *
 * @example
 * ```ts
 * const credential: ClientSecretOptions = { clientSecret: process.env.CLIENT_SECRET! }
 * ```
 */
export interface ClientSecretOptions {
  /**
   * The secret's **Value** (shown once, when it is created under Certificates & secrets), not its Secret
   * ID. Refused when empty or with whitespace around it (trim what you read from a file). Or a function
   * returning it, for rotation without restarts: called when a token must be fetched (never on a cache
   * hit), and again with `{ reload: true }` when Entra refuses the value (AADSTS7000215, 7000222, …).
   */
  clientSecret: string | ClientSecretProvider
}

/**
 * How an assertion signed with a certificate's key is made (for `certificate` and `certificatePath`).
 *
 * @example
 * ```ts
 * const signing: CertificateSigningOptions = { sendCertificateChain: true, algorithm: 'PS256' }
 * ```
 */
export interface CertificateSigningOptions {
  /** The passphrase of an encrypted private key or PKCS#12 file. @defaultValue none: the key is not encrypted */
  passphrase?: string | undefined
  /**
   * Send the certificate chain as the `x5c` header: needed for subject name / issuer (SNI)
   * authentication. @defaultValue false
   */
  sendCertificateChain?: boolean | undefined
  /** The assertion's signing algorithm: `PS256`, or `RS256` for ADFS and older servers. @defaultValue 'PS256' */
  algorithm?: 'PS256' | 'RS256' | undefined
  /**
   * The assertion's `aud`, for a generic server that wants its issuer there.
   * @defaultValue the token endpoint called (what Entra expects)
   */
  audience?: string | undefined
  /** A `kid` header, for servers that find the key by id. @defaultValue none: Entra uses the thumbprint */
  keyId?: string | undefined
}

/**
 * A private key and its certificate, given as values.
 *
 * @example
 * ```ts
 * const key: CertificateKeyOptions = { privateKey: readFileSync('client.key.pem', 'utf8'), certificate: readFileSync('client.cert.pem', 'utf8') }
 * ```
 */
export interface CertificateKeyOptions extends CertificateSigningOptions {
  /**
   * The RSA private key (2048 bits or more): PEM text, a Buffer (PEM, DER or PKCS#12) or a private
   * `KeyObject`. A combined PEM or a PKCS#12 file may hold the certificate too. Not a path: use
   * `certificatePath` for a file.
   */
  privateKey: PrivateKeyInput
  /**
   * The certificate (and its chain, leaf first): PEM text, DER bytes, an `X509Certificate`, or a list.
   * @defaultValue the certificate(s) found beside the key in `privateKey`
   */
  certificate?: CertificateInput | undefined
}

/**
 * A certificate credential given as values: a JWT client assertion signed with the key (RFC 7523).
 *
 * @example
 * ```ts
 * const credential: CertificateOptions = { certificate: { privateKey: keyPem, certificate: certPem } }
 * ```
 */
export interface CertificateOptions {
  /**
   * The private key and its certificate, and how assertions are signed with them. Or a function returning
   * them, for rotation without restarts: called when a token must be fetched (never on a cache hit), and
   * again with `{ reload: true }` when Entra refuses the key (AADSTS700027, 1000502, …).
   */
  certificate: CertificateKeyOptions | CertificateProvider
}

/**
 * A certificate credential read from a file (as `AZURE_CLIENT_CERTIFICATE_PATH` names it).
 *
 * @example
 * ```ts
 * const credential: CertificateFileOptions = { certificatePath: '/etc/app/client.pem' }
 * ```
 */
export interface CertificateFileOptions extends CertificateSigningOptions {
  /**
   * A file holding the private key and the certificate: PEM (both blocks), or PKCS#12 (.pfx/.p12). Read
   * at construction and looked at again at most every 30 s, so a rotated file is picked up.
   */
  certificatePath: string
}

/**
 * A bare private key for `private_key_jwt` (RFC 7523), for servers that register a JWK rather than a
 * certificate (Keycloak, Okta, Auth0…). Not for Entra, which needs a certificate.
 *
 * @example
 * ```ts
 * const credential: PrivateKeyOptions = { privateKey: readFileSync('client-key.pem', 'utf8'), keyId: 'client-key-1' }
 * ```
 */
export interface PrivateKeyOptions {
  /** The private key: PEM text, DER bytes, a private `KeyObject`, or a private JWK (RSA, EC P-256, Ed25519). */
  privateKey: SigningKeyInput
  /** The `kid` header, for servers that find the key by id. @defaultValue the JWK's `kid`; else none */
  keyId?: string | undefined
  /** `RS256` or `PS256` (RSA), `ES256` (EC P-256), `EdDSA` (Ed25519). @defaultValue RS256, ES256 or EdDSA by key type */
  algorithm?: KeyAlgorithm | undefined
  /** The assertion's `aud`, for a server that wants its issuer there. @defaultValue the token endpoint called */
  audience?: string | undefined
  /** The passphrase of an encrypted PEM or DER key. @defaultValue none: the key is not encrypted */
  passphrase?: string | undefined
}

/**
 * A client assertion from elsewhere (a federated credential, an HSM, a signing service).
 *
 * @example
 * ```ts
 * const credential: ClientAssertionOptions = { clientAssertion: ({ tokenEndpoint, signal }) => signingService.jwt(tokenEndpoint, { signal }) }
 * ```
 */
export interface ClientAssertionOptions {
  /**
   * A ready JWT, or a callback that returns one for each token request attempt (never on a cache hit),
   * given `{ clientId, tokenEndpoint, signal }`.
   */
  clientAssertion: string | ClientAssertionCallback
}

/**
 * A federated token file (workload identity on AKS, or any OIDC token written to a file).
 *
 * @example
 * ```ts
 * const credential: FederatedTokenFileOptions = { federatedTokenFile: process.env.AZURE_FEDERATED_TOKEN_FILE! }
 * ```
 */
export interface FederatedTokenFileOptions {
  /** The path of the token file; re-read for every token request (kubelet rewrites it). */
  federatedTokenFile: string
}

/**
 * A managed identity as the app's credential (no secret anywhere): its token for the token exchange
 * audience is the client assertion, trusted by a federated credential on the app registration (issuer
 * `https://login.microsoftonline.com/{tenant}/v2.0`, subject the identity's object id).
 *
 * @example
 * ```ts
 * const credential: ManagedIdentityCredentialOptions = { managedIdentity: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' } }
 * ```
 */
export interface ManagedIdentityCredentialOptions {
  /** `{}` for the system-assigned identity, or one of `clientId`, `objectId`, `resourceId` for a user-assigned one. */
  managedIdentity: ManagedIdentityOptions
  /**
   * The audience of the identity's token, as the federated credential names it.
   * @defaultValue the cloud's exchange audience: api://AzureADTokenExchange (…USGov, …China)
   */
  audience?: string | undefined
}

/**
 * The client's credential: exactly one kind.
 *
 * @example
 * ```ts
 * const secret: CredentialOptions = { clientSecret: process.env.CLIENT_SECRET! }
 * const certificate: CredentialOptions = { certificate: { privateKey: keyPem, certificate: certPem } }
 * const file: CredentialOptions = { certificatePath: '/etc/app/client.pem' }
 * const assertion: CredentialOptions = { clientAssertion: ({ tokenEndpoint, signal }) => signingService.jwt(tokenEndpoint, { signal }) }
 * const workload: CredentialOptions = { federatedTokenFile: process.env.AZURE_FEDERATED_TOKEN_FILE! }
 * const secretless: CredentialOptions = { managedIdentity: {} }
 * const key: CredentialOptions = { privateKey: keyPem, keyId: 'k1' } // generic servers only
 * ```
 */
export type CredentialOptions =
  | ClientSecretOptions
  | CertificateOptions
  | CertificateFileOptions
  | PrivateKeyOptions
  | ClientAssertionOptions
  | FederatedTokenFileOptions
  | ManagedIdentityCredentialOptions
