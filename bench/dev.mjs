/**
 * Development helper: runs one figure child against a fresh environment and prints its JSON.
 * Usage: node bench/dev.mjs cache-hit --lib ours --n 1000
 */

import { parseArgs } from './lib/args.mjs'
import { runChild, startEnvironment } from './lib/orchestrate.mjs'

const [figure, ...rest] = process.argv.slice(2)
const environment = await startEnvironment()
try {
  const result = await runChild(environment, figure, parseArgs(rest), {
    timeoutS: 600,
    nodeArgs: (process.env.DEV_NODE_ARGS ?? '').split(' ').filter(Boolean),
  })
  console.log(JSON.stringify(result, null, 1))
} finally {
  await environment.close()
}
