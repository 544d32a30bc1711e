/**
 * Imported first by every entry point (`.`, `/redis`, `/testing`, `/verify`): on a Node.js older than
 * 22.19 importing or requiring the package throws `ERR_NODE_VERSION_UNSUPPORTED`, naming the required and
 * the running version, before any dependency is evaluated (undici crashes while loading on older releases).
 *
 * Keep it first in each entry, and keep it and `node-version.ts` free of imports: an ES module's imports
 * are evaluated in order before its body, so only a module of its own, imported first, runs in time.
 * `test/node-guard.test.ts` proves it on the built package.
 */
import { assertSupportedNode } from './node-version.js'

assertSupportedNode()
