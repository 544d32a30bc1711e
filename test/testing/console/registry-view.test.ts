import { randomUUID, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { registryView } from '../../../src/testing/console/registry-view.js'
import { EXAMPLE, generateCertificate } from '../../../src/testing/index.js'
import { consoleSetup, NOW } from './setup.js'

describe('the registry as the console shows it', () => {
  it('lists tenants, APIs with App ID URIs and app roles, clients by Secret ID and grants with consent', () => {
    const { store } = consoleSetup()
    const view = registryView(store, NOW)
    expect(view.tenants).toEqual([
      { id: EXAMPLE.tenantId, displayName: 'Contoso', domains: [EXAMPLE.tenantDomain] },
    ])
    expect(view.apis).toEqual([
      expect.objectContaining({
        appId: EXAMPLE.api.appId,
        appIdUris: [EXAMPLE.api.uri],
        appRoles: [
          expect.objectContaining({ value: 'Admin', allowedMemberTypes: ['Application'] }),
          expect.objectContaining({ value: 'ReadOnly' }),
        ],
        tokenVersion: 1,
      }),
    ])
    expect(view.clients.map((c) => [c.displayName, c.credentials])).toEqual(
      Object.entries(EXAMPLE.clients).map(([name, app]) => [
        `daemon-${name}`,
        [{ kind: 'secret', id: app.secretId, displayName: 'test-only', expired: false }],
      ]),
    )
    expect(view.grants).toContainEqual(
      expect.objectContaining({ clientName: 'daemon-unconsented', apiName: 'mywebapi', adminConsent: false }),
    )
  })

  it('never holds a secret value, a certificate PEM or a key', async () => {
    const { store, clients } = consoleSetup()
    const certificate = await generateCertificate({ commonName: 'console-daemon' })
    const appId = randomUUID()
    clients.add({ appId, displayName: 'cert-daemon', certificates: [{ pem: certificate.certificatePem }] })
    const text = JSON.stringify(registryView(store, NOW))
    for (const app of Object.values(EXAMPLE.clients)) expect(text).not.toContain(app.secret)
    expect(text).not.toContain('BEGIN')
    expect(text).not.toContain(certificate.certificatePem.split('\n')[1])
  })

  it('shows a certificate by SHA-1 thumbprint, subject and end date; subject-name trust; federated credentials', async () => {
    const { store, clients } = consoleSetup()
    const certificate = await generateCertificate({ commonName: 'console-daemon' })
    const appId = randomUUID()
    clients.add({
      appId,
      displayName: 'many-credentials',
      certificates: [{ pem: certificate.certificatePem, displayName: 'current' }],
      subjectNames: [
        { subject: 'CN=console-daemon' },
        { subject: 'CN=leaf', issuerPem: certificate.certificatePem },
      ],
      federatedCredentials: [
        {
          name: 'github',
          issuer: 'https://token.actions.githubusercontent.com',
          subject: 'repo:contoso/app:ref:refs/heads/main',
          jwksUrl: 'http://127.0.0.1:9/keys',
        },
      ],
    })
    const client = registryView(store, NOW).clients.find((c) => c.appId === appId)
    expect(client?.credentials).toEqual([
      {
        kind: 'certificate',
        thumbprint: new X509Certificate(certificate.certificatePem).fingerprint.replaceAll(':', ''),
        subject: expect.stringContaining('CN=console-daemon'),
        notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        displayName: 'current',
      },
      { kind: 'subject-name', subject: 'CN=console-daemon' },
      { kind: 'subject-name', subject: 'CN=leaf', issuer: expect.stringContaining('CN=console-daemon') },
      {
        kind: 'federated',
        name: 'github',
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'repo:contoso/app:ref:refs/heads/main',
        audiences: ['api://AzureADTokenExchange'],
      },
    ])
  })

  it('says when a secret has expired and when a client is disabled', () => {
    const { store, clients } = consoleSetup()
    const appId = EXAMPLE.clients.reader.appId
    const secret = clients.addSecret(appId, { expiresAt: new Date(NOW - 1).toISOString() })
    clients.setEnabled(appId, false)
    const client = registryView(store, NOW).clients.find((c) => c.appId === appId)
    expect(client?.enabled).toBe(false)
    expect(client?.credentials).toContainEqual(
      expect.objectContaining({ kind: 'secret', id: secret.id, expired: true, expiresAt: NOW - 1 }),
    )
  })

  it('says which APIs get v2 tokens, and names a grant by ids when its client or API is gone', () => {
    const { store, apis } = consoleSetup()
    apis.update(EXAMPLE.api.uri, { accessTokenAcceptedVersion: 2 })
    store.grants.push({
      clientId: 'gone-client',
      apiId: 'gone-api',
      tenant: EXAMPLE.tenantId,
      roles: [],
      adminConsent: true,
    })
    const view = registryView(store, NOW)
    expect(view.apis[0]?.tokenVersion).toBe(2)
    expect(view.grants.at(-1)).toMatchObject({ clientName: 'gone-client', apiName: 'gone-api' })
  })
})
