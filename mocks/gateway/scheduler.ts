/**
 * Timers that the gateway can cancel as a whole: every pause in the agent goes through here, so
 * `dispose()` leaves no timer behind to keep a test process alive or fire after it ended.
 */
export interface Scheduler {
  /**
   * Resolves after `ms`; rejects with the signal's reason when it aborts and with an AbortError
   * when the scheduler is disposed. `ms <= 0` resolves without a timer, so zero timings in tests
   * cost no event-loop turns.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Runs `task` on a later macrotask, after the current request/response has been written. */
  defer(task: () => void): void
  /** Cancels all pending timers; later `sleep` calls reject at once. */
  dispose(): void
}

interface Pending {
  timer: ReturnType<typeof setTimeout>
  reject: (reason: unknown) => void
}

/** Creates a {@link Scheduler}. */
export function createScheduler(): Scheduler {
  const pending = new Set<Pending>()
  let disposed = false
  const disposedError = () => new DOMException('The gateway was disposed.', 'AbortError')

  return {
    sleep(ms, signal) {
      if (disposed) return Promise.reject(disposedError())
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (ms <= 0) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(entry.timer)
          pending.delete(entry)
          reject(signal?.reason)
        }
        const entry: Pending = {
          timer: setTimeout(() => {
            pending.delete(entry)
            signal?.removeEventListener('abort', onAbort)
            resolve()
          }, ms),
          reject: (reason) => {
            signal?.removeEventListener('abort', onAbort)
            reject(reason)
          },
        }
        pending.add(entry)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
    defer(task) {
      if (disposed) return
      const entry: Pending = {
        timer: setTimeout(() => {
          pending.delete(entry)
          task()
        }, 0),
        reject: () => {},
      }
      pending.add(entry)
    },
    dispose() {
      disposed = true
      for (const entry of pending) {
        clearTimeout(entry.timer)
        entry.reject(disposedError())
      }
      pending.clear()
    },
  }
}
