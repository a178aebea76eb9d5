/**
 * The context providers a user turned off in "Context sources", remembered per user so that the
 * choice survives a reload (as the active thread is, in src/state/threadStorage.ts).
 */
export class ExclusionStorage {
  private readonly key: string

  constructor(userId: string) {
    this.key = `duo-chat-drawer:excluded-context-providers:${userId}`
  }

  remember(names: Iterable<string>): void {
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify([...names]))
    } catch {
      // Storage may be off (private mode, sandboxed frames): the choice then lasts for the page's life.
    }
  }

  /** The remembered names; none when nothing (or something unreadable) is stored. */
  recall(): string[] {
    try {
      const stored: unknown = JSON.parse(globalThis.localStorage?.getItem(this.key) ?? '[]')
      return Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : []
    } catch {
      return []
    }
  }
}
