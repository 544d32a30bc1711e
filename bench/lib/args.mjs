/**
 * Command-line arguments of the bench scripts: `--name value` pairs and bare `--flag`s.
 */

/**
 * Parses `argv` (without node and the script) into an object; numeric values become numbers.
 *
 * @param {string[]} argv
 * @returns {Record<string, string | number | boolean>}
 * @example parseArgs(['--lib', 'ours', '--n', '1000', '--quick']) // { lib: 'ours', n: 1000, quick: true }
 */
export function parseArgs(argv) {
  /** @type {Record<string, string | number | boolean>} */
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`)
    const name = arg.slice(2)
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('--')) {
      out[name] = true
    } else {
      out[name] = /^-?\d+(\.\d+)?$/.test(next) ? Number(next) : next
      i++
    }
  }
  return out
}

/**
 * `args[name]` as a number, or `fallback`.
 *
 * @param {Record<string, unknown>} args
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function numberArg(args, name, fallback) {
  const value = args[name]
  return typeof value === 'number' ? value : fallback
}
