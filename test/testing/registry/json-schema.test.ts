import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { exampleRegistry, RegistryError, startLocalAuthority } from '../../../src/testing/index.js'
import { REGISTRY_SCHEMA_REFERENCE, registryJsonSchema } from '../../../src/testing/registry/json-schema.js'

const root = new URL('../../../', import.meta.url)
const shippedPath = fileURLToPath(new URL('schema/registry.schema.json', root))
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'))

// WRITE_REGISTRY_SCHEMA=1 npx vitest run test/testing/registry-json-schema.test.ts regenerates the file
if (process.env.WRITE_REGISTRY_SCHEMA === '1') {
  writeFileSync(shippedPath, `${JSON.stringify(registryJsonSchema(), null, 2)}\n`)
}

const ajv = new Ajv2020({ allErrors: true, strict: false })
const validate = ajv.compile(read('schema/registry.schema.json') as object)
const CONTOSO = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'

it('the shipped schema/registry.schema.json is the one generated from the zod schemas', () => {
  expect(read('schema/registry.schema.json')).toEqual(registryJsonSchema())
})

it('ships in the package, where the $schema that --print-registry writes points', () => {
  const pkg = read('package.json') as { files: string[] }
  expect(pkg.files).toContain('schema')
  expect(REGISTRY_SCHEMA_REFERENCE).toBe(
    './node_modules/oauth-client-credentials/schema/registry.schema.json',
  )
})

describe.each([
  ['the example registry', JSON.parse(JSON.stringify(exampleRegistry()))],
  ['examples/registry.json', read('examples/registry.json')],
  ['the registry fixture', read('test/fixtures/testing/registry.json')],
  [
    'a tenant with an upper-case domain',
    { tenants: [{ id: CONTOSO, domains: ['Contoso.OnMicrosoft.com'] }] },
  ],
])('%s', (_name, document) => {
  it('is valid for the JSON Schema', () => {
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true)
  })

  it('is loaded by the local authority', async () => {
    const authority = await startLocalAuthority({ registry: document as never })
    await authority.close()
  })
})

describe.each([
  ['no tenants', { apis: [] }],
  ['an empty tenant list', { tenants: [] }],
  ['an unknown top-level key', { tenants: [{ id: CONTOSO }], client: [] }],
  ['a tenant id that is not a GUID', { tenants: [{ id: 'contoso' }] }],
  ['an unknown key in a client', { tenants: [{ id: CONTOSO }], clients: [{ appId: CONTOSO, secret: 'x' }] }],
  [
    'a secret expiry that is not a date-time',
    {
      tenants: [{ id: CONTOSO }],
      clients: [{ appId: CONTOSO, secrets: [{ value: 'x', expiresAt: 'soon' }] }],
    },
  ],
  ['a grant without clientId', { tenants: [{ id: CONTOSO }], grants: [{ api: 'api://x', roles: ['A'] }] }],
  [
    'an accessTokenAcceptedVersion of 3',
    { tenants: [{ id: CONTOSO }], apis: [{ appId: CONTOSO, accessTokenAcceptedVersion: 3 }] },
  ],
])('a document with %s', (_name, document) => {
  it('is invalid for the JSON Schema', () => {
    expect(validate(document)).toBe(false)
  })

  it('is refused by the local authority too', async () => {
    await expect(startLocalAuthority({ registry: document as never })).rejects.toBeInstanceOf(RegistryError)
  })
})

type JsonSchemaNode = {
  properties?: Record<string, JsonSchemaNode>
  items?: JsonSchemaNode
  anyOf?: JsonSchemaNode[]
}

/** The property names of an object schema (or of each branch of a union), and of the objects in its array properties. */
function fieldNames(node: JsonSchemaNode | undefined): string[] {
  const own = Object.entries(node?.properties ?? {}).flatMap(([name, child]) => [
    name,
    ...fieldNames(child.items),
  ])
  return [...own, ...(node?.anyOf ?? []).flatMap(fieldNames)]
}

it.each(['tenants', 'apis', 'clients', 'grants', 'managedIdentities'])(
  "the README's registry table lists every field of %s",
  (list) => {
    const readme = readFileSync(new URL('README.md', root), 'utf8')
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${list}\` |`)) ?? ''
    const documented = [...row.matchAll(/`([A-Za-z]+)`/g)]
      .map((match) => match[1])
      .filter((name) => name !== 'null')
    const schema = registryJsonSchema() as JsonSchemaNode
    expect(new Set(documented.slice(1))).toEqual(new Set(fieldNames(schema.properties?.[list]?.items)))
  },
)
