/**
 * Streams paused by a scenario's `holdAfterChunks` until a test releases them: a test that acts
 * while an answer streams (scrolls, stops, copies) then never races the end of the stream, however
 * slow the machine is.
 */
export class StreamHolds {
  private readonly waiting = new Map<string, Set<() => void>>()
  /** Releases that came before their stream reached its hold: that hold is passed at once. */
  private readonly permits = new Map<string, number>()

  /** Resolves when `release(userId)` is called (or was, ahead); rejects with the signal's reason when it aborts. */
  wait(userId: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason)
    const permits = this.permits.get(userId) ?? 0
    if (permits > 0) {
      if (permits === 1) this.permits.delete(userId)
      else this.permits.set(userId, permits - 1)
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const held = this.waiting.get(userId) ?? new Set()
      const resume = () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = () => {
        held.delete(resume)
        reject(signal.reason)
      }
      held.add(resume)
      this.waiting.set(userId, held)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  /**
   * Lets every held stream of the user go on and returns how many were held; when none is held yet,
   * the user's next hold is passed instead (a test need not know whether the stream got there first).
   */
  release(userId: string): number {
    const held = this.waiting.get(userId)
    this.waiting.delete(userId)
    if (!held?.size) this.permits.set(userId, (this.permits.get(userId) ?? 0) + 1)
    for (const resume of held ?? []) resume()
    return held?.size ?? 0
  }

  /** Releases everyone and forgets early releases (reset, dispose): no stream stays parked forever. */
  releaseAll(): void {
    for (const userId of [...this.waiting.keys()]) this.release(userId)
    this.permits.clear()
  }
}
