#!/usr/bin/env node
/**
 * Package proof: packs the package, installs the tarball in a temporary project, imports it from ESM
 * and requires it from CJS (the main entry and every subpath), gets a token from the local authority
 * through the installed copy, and runs the installed bin. Run after `npm run build`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const subpaths = Object.keys(pkg.exports).filter((key) => key !== './package.json')
const specifiers = subpaths.map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`))
const work = mkdtempSync(join(tmpdir(), 'cc-package-proof-'))

function run(command, args, cwd = work) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
}

try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', work], root).trim().split('\n').pop()
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'proof', private: true, type: 'commonjs' }),
  )
  // with the optional peer the /opentelemetry entry needs (redis' entry loads no redis of its own)
  const peers = ['@opentelemetry/api']
  run('npm', [
    'install',
    '--silent',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    join(work, tarball),
    ...peers,
  ])
  console.log(`installed ${tarball} into ${work}`)

  // ESM: every entry imports, and its named exports are there.
  const esm = `
    ${specifiers.map((s, i) => `import * as m${i} from '${s}'`).join('\n')}
    const entries = { ${specifiers.map((s, i) => `'${s}': m${i}`).join(', ')} }
    for (const [name, mod] of Object.entries(entries)) {
      if (Object.keys(mod).length === 0) throw new Error(name + ' exports nothing (ESM)')
      console.log('esm', name, Object.keys(mod).length, 'exports')
    }
    const { TokenClient, AuthorityError } = m0
    const { startLocalAuthority, EXAMPLE } = entries['${pkg.name}/testing']
    const authority = await startLocalAuthority()
    try {
      const client = new TokenClient({ authorityHost: authority.url, tenant: EXAMPLE.tenantId,
        clientId: EXAMPLE.clients.admin.appId, credential: { clientSecret: EXAMPLE.clients.admin.secret } })
      const token = await client.getToken(EXAMPLE.api.uri)
      if (JSON.stringify(token.claims.roles) !== '["Admin"]') throw new Error('unexpected roles')
      const wrong = new TokenClient({ authorityHost: authority.url, tenant: EXAMPLE.tenantId,
        clientId: EXAMPLE.clients.admin.appId, credential: { clientSecret: 'wrong' } })
      const error = await wrong.getToken(EXAMPLE.api.uri).catch((e) => e)
      if (!(error instanceof AuthorityError)) throw new Error('AuthorityError not recognised')
      console.log('esm token from the local authority: roles', token.claims.roles.join(','))
    } finally {
      await authority.close()
    }
  `
  writeFileSync(join(work, 'proof.mjs'), esm)
  process.stdout.write(run(process.execPath, ['proof.mjs']))

  // CJS: every entry requires; errors from the ESM and CJS copies are recognised by each other.
  const cjs = `
    const names = ${JSON.stringify(specifiers)}
    for (const name of names) {
      const mod = require(name)
      if (Object.keys(mod).length === 0) throw new Error(name + ' exports nothing (CJS)')
      console.log('cjs', name, Object.keys(mod).length, 'exports')
    }
    const { TokenClient, ConfigurationError } = require('${pkg.name}')
    const { startLocalAuthority, EXAMPLE } = require('${pkg.name}/testing')
    ;(async () => {
      const esmMain = await import('${pkg.name}')
      try { new esmMain.TokenClient({ tenant: 'common', clientId: 'x', credential: { clientSecret: 's' } }) }
      catch (e) { if (!(e instanceof ConfigurationError)) throw new Error('ESM error not recognised by the CJS class') }
      const authority = await startLocalAuthority()
      try {
        const client = new TokenClient({ authorityHost: authority.url, tenant: EXAMPLE.tenantId,
          clientId: EXAMPLE.clients.reader.appId, credential: { clientSecret: EXAMPLE.clients.reader.secret } })
        const token = await client.getToken(EXAMPLE.api.uri)
        console.log('cjs token from the local authority: roles', token.claims.roles.join(','))
      } finally {
        await authority.close()
      }
    })().catch((e) => { console.error(e); process.exit(1) })
  `
  writeFileSync(join(work, 'proof.cjs'), cjs)
  process.stdout.write(run(process.execPath, ['proof.cjs']))

  // The bin, as installed.
  const bin = join(work, 'node_modules', '.bin', 'oauth-client-credentials')
  const version = run(bin, ['--version']).trim()
  if (version !== pkg.version) throw new Error(`bin --version printed ${version}`)
  const demo = run(bin, ['demo'])
  if (!demo.includes('done in')) throw new Error('the installed demo did not finish')
  console.log(`bin: oauth-client-credentials --version ${version}; demo ran`)
  console.log('package proof: passed')
} finally {
  rmSync(work, { recursive: true, force: true })
}
