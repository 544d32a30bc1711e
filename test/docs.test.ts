/**
 * The docs/ files the code cites exist and hold the cited sections, and the links between the docs
 * resolve: a `§` reference always points at a file in this repository (docs/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Where citations are looked for. */
const CITING = ['src', 'test', 'bench', 'examples', 'scripts']
/** The names the original design documents were cited by, and the file that replaces each. */
const LEGACY: Readonly<Record<string, string>> = { ENTRA: 'docs/entra.md', DESIGN: 'docs/design.md' }

/** `docs/entra.md §4`, `docs/entra.md §1-2`: the cited file and section numbers. */
const CITATION = /\b(docs\/[\w./-]+\.md) §(\d+)(?:-(\d+))?/g
/** `ENTRA §4`, `ENTRA.md §7`, `DESIGN §5`. */
const LEGACY_CITATION = /\b(ENTRA|DESIGN)(?:\.md)? §(\d+)(?:-(\d+))?/g
/** A relative markdown link: `[text](path)` or `[text](path#anchor)`. */
const LINK = /\]\((?!https?:|mailto:|#)([^)#\s]+)(?:#([^)\s]+))?\)/g

interface Citation {
  readonly where: string
  readonly file: string
  readonly sections: readonly number[]
}

function sectionRange(from: string, to: string | undefined): number[] {
  const first = Number(from)
  const last = to === undefined ? first : Number(to)
  return Array.from({ length: Math.max(1, last - first + 1) }, (_, i) => first + i)
}

/** Every citation of a docs/ section in `text`; legacy names are mapped to their docs/ file. */
function citationsIn(where: string, text: string): Citation[] {
  const found: Citation[] = []
  for (const m of text.matchAll(CITATION)) {
    found.push({ where, file: m[1]!, sections: sectionRange(m[2]!, m[3]) })
  }
  for (const m of text.matchAll(LEGACY_CITATION)) {
    found.push({ where, file: LEGACY[m[1]!]!, sections: sectionRange(m[2]!, m[3]) })
  }
  return found
}

/** The section numbers of a markdown file: its `## §n …` headings. */
function sectionsOf(markdown: string): Set<number> {
  return new Set([...markdown.matchAll(/^## §(\d+)\b/gm)].map((m) => Number(m[1])))
}

/** What is wrong with `citation`, or `undefined`. */
function citationProblem(citation: Citation, read: (file: string) => string | undefined) {
  const text = read(citation.file)
  if (text === undefined) return `${citation.where}: cites ${citation.file}, which does not exist`
  const have = sectionsOf(text)
  const missing = citation.sections.filter((n) => !have.has(n))
  return missing.length
    ? `${citation.where}: cites ${citation.file} §${missing.join(', §')}, not there`
    : undefined
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-')
}

function filesUnder(dir: string, ext: RegExp): string[] {
  if (!existsSync(join(ROOT, dir))) return []
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => ext.test(name) && !name.includes('node_modules') && !name.includes('fixtures'))
    .map((name) => posix.join(dir, name.split('\\').join('/')))
}

const read = (file: string) =>
  existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file), 'utf8') : undefined

describe('citations of docs/', () => {
  it('name files and sections that exist (legacy ENTRA §n / DESIGN §n included)', () => {
    const files = CITING.flatMap((dir) => filesUnder(dir, /\.(ts|mts|mjs|js|sh)$/))
    const citations = files.flatMap((file) => citationsIn(file, read(file) ?? ''))
    expect(citations.length).toBeGreaterThan(0)
    expect(citations.map((c) => citationProblem(c, read)).filter(Boolean)).toEqual([])
  })

  it('fail for a missing file or section', () => {
    const docs = (file: string) => (file === 'docs/entra.md' ? '## §1 Endpoints\n## §2 Tenant\n' : undefined)
    const bad = [
      ...citationsIn('src/a.ts', '// see docs/entra.md §1-3 and ENTRA §2'),
      ...citationsIn('src/b.ts', '/** DESIGN §5 */'),
    ]
    expect(bad.map((c) => citationProblem(c, docs))).toEqual([
      'src/a.ts: cites docs/entra.md §3, not there',
      undefined,
      'src/b.ts: cites docs/design.md, which does not exist',
    ])
  })
})

describe('links between the docs', () => {
  it('lead to files that exist and to headings that exist', () => {
    const problems: string[] = []
    for (const doc of ['README.md', ...filesUnder('docs', /\.md$/)]) {
      for (const [, target, anchor] of (read(doc) ?? '').matchAll(LINK)) {
        const path = posix.normalize(posix.join(posix.dirname(doc), target!))
        if (!existsSync(join(ROOT, path))) problems.push(`${doc}: ${target} does not exist`)
        else if (anchor && !headingAnchors(read(path) ?? '').has(anchor)) {
          problems.push(`${doc}: ${target}#${anchor} names no heading`)
        }
      }
    }
    expect(problems).toEqual([])
  })
})

function headingAnchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)))
}
