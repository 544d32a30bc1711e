/**
 * Type-checking code that lives in memory (README blocks, TSDoc examples) under the repo's strict
 * tsconfig, and the package's entries as a user imports them.
 */
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** The repository's root directory, with a trailing slash. */
export const root = fileURLToPath(new URL('../../', import.meta.url))

/** The package's entries: import specifier → source file. */
export const ENTRIES = {
  'oauth-client-credentials': 'src/index.ts',
  'oauth-client-credentials/verify': 'src/verify/index.ts',
  'oauth-client-credentials/redis': 'src/redis/index.ts',
  'oauth-client-credentials/testing': 'src/testing/index.ts',
  'oauth-client-credentials/opentelemetry': 'src/opentelemetry/index.ts',
} as const

/** The repo's tsconfig options, emitting nothing. */
export function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile)
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, noEmit: true }
}

/** A program over in-memory `files` (paths inside the repo, so packages resolve from node_modules). */
export function inMemoryProgram(
  files: Map<string, string>,
  options: ts.CompilerOptions,
  oldProgram?: ts.Program,
): ts.Program {
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name)
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name)
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name)
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language, true)
  }
  return ts.createProgram([...files.keys()], options, host, oldProgram)
}
