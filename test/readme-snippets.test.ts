/**
 * README.md's TypeScript blocks are code, not prose: every ```ts block type-checks under the repo's
 * strict tsconfig, as written. Names a block takes from earlier sections or from the reader's app
 * (`client`, `guard`, `order`, a Hono `app`…) are declared once below, and so are the two packages
 * the README mentions but the repo does not install (@azure/storage-blob, Hono): stand-ins with the
 * shapes the README relies on. A line that is an object literal alone (the Credentials section's
 * `{ credential: … }` lines) is an options fragment, checked as `Partial<TokenClientOptions>`.
 * The runnable blocks run in test/readme-runs.test.ts and test/examples.test.ts.
 */
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { expect, it } from 'vitest'
import { compilerOptions, inMemoryProgram, root } from './helpers/type-check.js'

const readme = readFileSync(new URL('README.md', `file://${root}`), 'utf8')

/** The reader's names, as the README's blocks use them. */
const GLOBALS = `
import type { TokenClient as Client, TokenClientOptions as Options } from 'oauth-client-credentials'
import type { Guard } from 'oauth-client-credentials/verify'

interface HonoContext {
  req: { header(name: string): string | undefined }
  json(body: unknown, status?: number, headers?: Record<string, string>): Response
}

declare global {
  type TokenClientOptions = Options
  const TokenClient: typeof Client
  const client: Client
  const guard: Guard
  const order: { item: string; quantity: number }
  const keyPem: string
  const certPem: string
  const pfxBuffer: Buffer
  const signingService: { jwt(audience: string, options: { signal: AbortSignal }): Promise<string> }
  const metrics: { histogram(name: string, value: number, tags: Record<string, string>): void }
  const app: { get(path: string, handler: (c: HonoContext) => Promise<Response>): void }
}
`

const STAND_INS = `
declare module '@azure/storage-blob' {
  import type { TokenCredential } from '@azure/core-auth'
  export class BlobServiceClient {
    constructor(url: string, credential: TokenCredential)
  }
}
`

interface Block {
  /** 1-based line of the block's first code line in README.md. */
  line: number
  code: string
}

function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  for (const match of markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1
    blocks.push({ line, code: match[1] ?? '' })
  }
  return blocks
}

/** An object literal alone on a line is an options fragment. */
function asModule(code: string): string {
  const lines = code
    .split('\n')
    .map((text) => (/^\{.*\}$/.test(text) ? `;(${text}) satisfies Partial<TokenClientOptions>` : text))
  return `${lines.join('\n')}\nexport {}\n`
}

/** Type-checks in-memory files (paths inside the repo, so packages resolve from node_modules). */
function typeCheck(files: Map<string, string>): ts.Diagnostic[] {
  const program = inMemoryProgram(files, compilerOptions())
  return [...files.keys()]
    .filter((name) => name.includes('/block-'))
    .flatMap((name) => {
      const source = program.getSourceFile(name)
      return source
        ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        : []
    })
}

function describeDiagnostic(diagnostic: ts.Diagnostic, blocks: Map<string, Block>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
  const block = diagnostic.file ? blocks.get(diagnostic.file.fileName) : undefined
  if (!diagnostic.file || diagnostic.start === undefined || !block) return message
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
  return `README.md:${block.line + line}: ${message}`
}

it('finds the README blocks (quick start, credentials, attaching, web API, errors, testing, …)', () => {
  expect(tsBlocks(readme).length).toBeGreaterThanOrEqual(15)
})

it('type-checks every ```ts block of README.md under the strict tsconfig', () => {
  const dir = `${root}test/__readme__/`
  const files = new Map([
    [`${dir}globals.d.ts`, GLOBALS],
    [`${dir}stand-ins.d.ts`, STAND_INS],
  ])
  const blocks = new Map<string, Block>()
  tsBlocks(readme).forEach((block, index) => {
    const name = `${dir}block-${index + 1}.ts`
    files.set(name, asModule(block.code))
    blocks.set(name, block)
  })
  const problems = typeCheck(files).map((diagnostic) => describeDiagnostic(diagnostic, blocks))
  expect(problems).toEqual([])
}, 120_000)
