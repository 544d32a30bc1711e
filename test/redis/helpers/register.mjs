// Lets plain Node run the TypeScript sources (type stripping, Node >= 22.18) for the worker processes:
// the sources import each other as `./x.js` (NodeNext); this hook resolves them to `./x.ts`.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      try {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
      } catch {
        // not a TypeScript source: resolve as written
      }
    }
    return nextResolve(specifier, context)
  },
})
