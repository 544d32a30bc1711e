import { unsupportedNode } from '../node-version.js'

// Checked before the rest of the CLI (and undici, which crashes while loading on Node.js < 22.19) is
// imported: `main` is loaded by a dynamic import, a chunk of its own in dist/.
const unsupported = unsupportedNode()
if (unsupported !== undefined) {
  process.stderr.write(`${unsupported.message}\n${unsupported.hint}\n`)
  process.exit(1)
}
const { main } = await import('./main.js')
process.exitCode = await main(process.argv.slice(2))
