/** Letting go of a promise when a signal aborts: the caller stops waiting, the work goes on. */
/**
 * `promise`, or the signal's reason as soon as `signal` aborts (the promise itself goes on, and its
 * rejection, if any, is handled).
 *
 * @example
 * ```ts
 * const token = await abandonable(flight, AbortSignal.timeout(5_000))
 * ```
 */
export function abandonable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(noop)
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function noop(): void {}
