import { defineConfig, type Format, type Options } from 'tsup'

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number]

/**
 * The Node.js version guard (src/node-guard.ts) must run before any dependency is evaluated: undici crashes
 * while loading on Node.js < 22.19. An ES module's imports are evaluated in order before its body, and
 * esbuild puts an entry's imports of shared chunks first, in an order of its own, so the guard is built as
 * dist/node-guard.{js,cjs} of its own (no imports) and every file of the library build starts with an
 * import of it (a banner), ahead of anything else. test/node-guard.test.ts proves it under Node.js 20.
 */
const guardFile = (format: Format): string => (format === 'cjs' ? './node-guard.cjs' : './node-guard.js')
// tsup builds both formats as ES modules and has rollup turn them into CommonJS: an import either way
const guardBanner = ({ format }: { format: Format }) => ({ js: `import '${guardFile(format)}';` })

/** The entries' own `import './node-guard.js'` (which runs the guard from source) becomes that same file. */
const nodeGuardExternal: EsbuildPlugin = {
  name: 'node-guard-external',
  setup(build) {
    const path = guardFile(build.initialOptions.define?.TSUP_FORMAT === '"cjs"' ? 'cjs' : 'esm')
    build.onResolve({ filter: /\/node-guard\.js$/ }, () => ({ path, external: true }))
  },
}

const common: Options = {
  sourcemap: true,
  clean: false, // `npm run build` empties dist/ first; the configs build side by side
  target: 'node22',
  platform: 'node',
  treeshake: true,
  // import.meta.url in the CommonJS build (src/validation/zod.ts loads zod with createRequire)
  shims: true,
  removeNodeProtocol: false,
  esbuildPlugins: [nodeGuardExternal],
}

export default defineConfig([
  {
    ...common,
    entry: { 'node-guard': 'src/node-guard.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    target: 'node12', // it runs on old releases to refuse them: no syntax they cannot parse
  },
  {
    ...common,
    entry: {
      index: 'src/index.ts',
      redis: 'src/redis/index.ts',
      opentelemetry: 'src/opentelemetry/index.ts',
      testing: 'src/testing/index.ts',
      verify: 'src/verify/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
    banner: guardBanner,
  },
  {
    ...common,
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    splitting: true, // bin.ts checks the Node.js version, then imports the rest: a chunk of its own
    banner: { js: '#!/usr/bin/env node' },
  },
])
