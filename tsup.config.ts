import { defineConfig } from 'tsup'

const common = {
  sourcemap: true,
  clean: false, // `npm run build` empties dist/ first; two configs build side by side
  target: 'node22',
  platform: 'node',
  treeshake: true,
  shims: false,
  removeNodeProtocol: false,
} as const

export default defineConfig([
  {
    ...common,
    entry: {
      index: 'src/index.ts',
      redis: 'src/redis/index.ts',
      testing: 'src/testing/index.ts',
      verify: 'src/verify/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
  },
  {
    ...common,
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  },
])
