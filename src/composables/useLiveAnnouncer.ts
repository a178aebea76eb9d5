import { getCurrentScope, onScopeDispose, readonly, shallowRef, type Ref } from 'vue'

export interface UseLiveAnnouncerOptions {
  /** Text the live region starts with. @default '' */
  initial?: string
}

export interface UseLiveAnnouncerReturn {
  /** What the live region says; bind it as the text of an element with `aria-live`. */
  message: Readonly<Ref<string>>
  /** Says `text`; the same text twice in a row is said again. */
  announce: (text: string) => void
  /** Empties the live region. */
  clear: () => void
}

/**
 * The text of a polite live region. Announce milestones ("responding", "answer ready"), never
 * every token: a screen reader reads each change in full.
 */
export function useLiveAnnouncer(options: UseLiveAnnouncerOptions = {}): UseLiveAnnouncerReturn {
  const { initial = '' } = options
  const message = shallowRef(initial)
  let generation = 0

  function announce(text: string): void {
    const current = ++generation
    if (message.value !== text || !text) {
      message.value = text
      return
    }
    // An unchanged text is no change to a screen reader: empty the region first, then refill it.
    message.value = ''
    void Promise.resolve().then(() => {
      if (current === generation) message.value = text
    })
  }

  function clear(): void {
    generation++
    message.value = ''
  }

  if (getCurrentScope()) onScopeDispose(() => generation++)
  return { message: readonly(message), announce, clear }
}
