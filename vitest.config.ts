import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = fileURLToPath(new URL('./src/', import.meta.url))

export default defineConfig({
  resolve: {
    // examples import the package by name, as users do
    alias: [
      { find: /^oauth-client-credentials$/, replacement: `${src}index.ts` },
      { find: /^oauth-client-credentials\/(.*)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // re-export files, the bin's one line, and interfaces hold no code to cover
      exclude: ['src/**/index.ts', 'src/cli/bin.ts', 'src/credentials/credential.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, branches: 90 },
    },
  },
})
