/**
 * A fake wall clock for the peer libraries: @azure/msal-node reads the time with `new Date()` and
 * `Date.now()` (TimeUtils.nowSeconds), and has no clock option. Installing this before the peer is
 * imported makes both read `now()`; `new Date(x)` with arguments is untouched.
 */

/**
 * Replaces `globalThis.Date` with a subclass whose `Date.now()` and `new Date()` read `now()`.
 *
 * @param {() => number} now epoch ms
 * @returns {() => void} restores the real `Date`
 */
export function installFakeDate(now) {
  const RealDate = globalThis.Date
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now())
      else super(...args)
    }

    static now() {
      return now()
    }
  }
  globalThis.Date = FakeDate
  return () => {
    globalThis.Date = RealDate
  }
}
