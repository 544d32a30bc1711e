// Makes docs/images/console.png, the README's picture of the local authority's console: the
// console's browser test (test/testing/console/page.test.ts) writes it with the same headless
// chromium it tests the page in, after its first requests (a token with roles, a token without
// roles for want of admin consent, a wrong secret). Needs Debian's chromium (apt-get install -y chromium).
// Run: sh scripts/with-node.sh node scripts/console-screenshot.mjs
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const file = join(root, 'docs', 'images', 'console.png')
mkdirSync(dirname(file), { recursive: true })
const run = spawnSync('npx', ['vitest', 'run', 'test/testing/console/page.test.ts', '--reporter=dot'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CONSOLE_SCREENSHOT: file },
})
if (run.status !== 0) {
  console.error('console-screenshot: the browser test failed; no screenshot written')
  process.exit(run.status ?? 1)
}
console.log(`console-screenshot: wrote ${file}`)
