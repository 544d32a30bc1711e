/**
 * Declares `req.auth` on Express's `Request` (and on any framework that extends the global
 * `Express.Request`, as `@types/express` does), so a handler after `guard.middleware()` reads the
 * verified token under strict TypeScript without a cast. Types only: nothing here runs, and the
 * package does not depend on Express.
 */
import type { VerifiedToken } from './token.js'

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified token, set by `guard.middleware()` when the request is authorized.
       *
       * @example
       * ```ts
       * app.get('/orders', guard.middleware(), (req, res) => res.json({ caller: req.auth?.appId }))
       * ```
       */
      auth?: VerifiedToken | undefined
    }
  }
}
