/**
 * The public option interfaces are written out with TSDoc (so that a hover shows each field's meaning
 * and default), and must say exactly what the zod schemas accept: checked here both ways, by the type
 * checker (`expectTypeOf`, run by `tsc`) and at run time (the interface members, read from the source,
 * against the schemas' keys).
 */
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type {
  CertificateFileOptions,
  CertificateKeyOptions,
  CertificateOptions,
  ClientAssertionOptions,
  ClientSecretOptions,
  CredentialOptions,
  FederatedTokenFileOptions,
} from '../src/credential-options.js'
import { certificateKeySchema, type credentialKindsSchema, kindSchemas } from '../src/credential-schema.js'
import type { CertificateProvider } from '../src/credentials/provider.js'
import type {
  CacheOptions,
  GetTokenOptions,
  HttpOptions,
  RefreshOptions,
  TokenClientOptions,
  TokenRequest,
} from '../src/option-types.js'
import {
  cacheSchema,
  getTokenOptionsSchema,
  httpSchema,
  refreshSchema,
  tokenClientOptionsSchema,
  tokenRequestSchema,
} from '../src/options.js'

type Kinds = ReturnType<typeof kindSchemas>
const kinds = kindSchemas()

describe('the option interfaces', () => {
  it('are exactly the input types of the schemas (checked by tsc)', () => {
    expectTypeOf<TokenClientOptions>().toEqualTypeOf<z.input<ReturnType<typeof tokenClientOptionsSchema>>>()
    expectTypeOf<CredentialOptions>().toEqualTypeOf<z.input<ReturnType<typeof credentialKindsSchema>>>()
    expectTypeOf<ClientSecretOptions>().toEqualTypeOf<z.input<Kinds['clientSecret']>>()
    expectTypeOf<CertificateOptions>().toEqualTypeOf<z.input<Kinds['certificate']>>()
    expectTypeOf<CertificateFileOptions>().toEqualTypeOf<z.input<Kinds['certificatePath']>>()
    expectTypeOf<ClientAssertionOptions>().toEqualTypeOf<z.input<Kinds['clientAssertion']>>()
    expectTypeOf<FederatedTokenFileOptions>().toEqualTypeOf<z.input<Kinds['federatedTokenFile']>>()
    expectTypeOf<CacheOptions>().toEqualTypeOf<z.input<ReturnType<typeof cacheSchema>>>()
    expectTypeOf<RefreshOptions>().toEqualTypeOf<z.input<ReturnType<typeof refreshSchema>>>()
    expectTypeOf<HttpOptions>().toEqualTypeOf<z.input<ReturnType<typeof httpSchema>>>()
    expectTypeOf<GetTokenOptions>().toEqualTypeOf<z.input<ReturnType<typeof getTokenOptionsSchema>>>()
    expectTypeOf<TokenRequest>().toEqualTypeOf<z.input<ReturnType<typeof tokenRequestSchema>>>()
    expectTypeOf<CertificateKeyOptions | CertificateProvider>().toEqualTypeOf<
      CertificateOptions['certificate']
    >()
    expectTypeOf<CertificateKeyOptions>().toEqualTypeOf<z.input<ReturnType<typeof certificateKeySchema>>>()
  })

  const members = interfaceMembers(['src/option-types.ts', 'src/credential-options.ts'])
  const schemaKeys: Array<[string, z.ZodObject]> = [
    ['TokenClientOptions', tokenClientOptionsSchema()],
    ['CacheOptions', cacheSchema()],
    ['RefreshOptions', refreshSchema()],
    ['HttpOptions', httpSchema()],
    ['GetTokenOptions', getTokenOptionsSchema()],
    ['TokenRequest', tokenRequestSchema()],
    ['ClientSecretOptions', kinds.clientSecret],
    ['CertificateOptions', kinds.certificate],
    ['CertificateKeyOptions', certificateKeySchema()],
    ['CertificateFileOptions', kinds.certificatePath],
    ['ClientAssertionOptions', kinds.clientAssertion],
    ['FederatedTokenFileOptions', kinds.federatedTokenFile],
  ]

  it.each(schemaKeys)('%s declares every key its schema accepts, and no other', (name, schema) => {
    expect(
      members
        .get(name)
        ?.map((m) => m.name)
        .sort(),
    ).toEqual(Object.keys(schema.shape).sort())
  })

  it('give every field a description, and every optional field its @defaultValue', () => {
    const undocumented: string[] = []
    for (const [name, list] of members) {
      for (const member of list) {
        if (member.doc.trim().length < 10) undocumented.push(`${name}.${member.name}: no description`)
        if (member.optional && !member.tags.includes('defaultValue'))
          undocumented.push(`${name}.${member.name}: no @defaultValue`)
      }
    }
    expect(members.size).toBeGreaterThanOrEqual(schemaKeys.length + 1)
    expect(undocumented).toEqual([])
  })

  it('give every interface an @example', () => {
    const source = interfaceDocs(['src/option-types.ts', 'src/credential-options.ts'])
    expect([...source].filter(([, tags]) => !tags.includes('example')).map(([name]) => name)).toEqual([])
  })
})

interface Member {
  name: string
  optional: boolean
  doc: string
  tags: string[]
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)
}

function docOf(node: ts.Node): { doc: string; tags: string[] } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc)
  return {
    doc: docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join(' '),
    tags: docs.flatMap((d) => (d.tags ?? []).map((t) => t.tagName.text)),
  }
}

/** The members of every exported interface of `paths` (inherited ones included), with their TSDoc. */
function interfaceMembers(paths: string[]): Map<string, Member[]> {
  const declarations = new Map<string, ts.InterfaceDeclaration>()
  for (const path of paths) {
    for (const statement of parse(path).statements) {
      if (ts.isInterfaceDeclaration(statement) && statement.name.text !== 'Logger')
        declarations.set(statement.name.text, statement)
    }
  }
  const membersOf = (declaration: ts.InterfaceDeclaration): Member[] => {
    const inherited = (declaration.heritageClauses ?? []).flatMap((clause) =>
      clause.types.flatMap((type) => {
        const parent = declarations.get(type.expression.getText())
        if (parent === undefined)
          throw new Error(`${type.expression.getText()} is not in ${paths.join(', ')}`)
        return membersOf(parent)
      }),
    )
    const own = declaration.members.filter(ts.isPropertySignature).map((member) => ({
      name: member.name.getText(),
      optional: member.questionToken !== undefined,
      ...docOf(member),
    }))
    return [...inherited, ...own]
  }
  return new Map([...declarations].map(([name, declaration]) => [name, membersOf(declaration)]))
}

/** Every exported interface and type alias of `paths`, with its TSDoc tags. */
function interfaceDocs(paths: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const path of paths) {
    for (const statement of parse(path).statements) {
      if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))
        out.set(statement.name.text, docOf(statement).tags)
    }
  }
  return out
}
