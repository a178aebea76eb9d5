import { computed, toValue, type MaybeRefOrGetter } from 'vue'
import { matchesShortcut, parseShortcut, type KeyboardShortcut } from '../state/shortcut'
import { defaultWindow, useEventListener } from './useEventListener'

export interface UseGlobalShortcutOptions {
  /** The shortcut, parsed or as text ("Alt+D"); null or false turns it off. */
  shortcut: MaybeRefOrGetter<KeyboardShortcut | string | null | false>
  /** Called on every key press that matches, after its default was prevented. */
  handler: (event: KeyboardEvent) => void
  /** The window whose key presses are watched. @default window */
  window?: Window
}

export interface UseGlobalShortcutReturn {
  /** The shortcut in force, parsed; null when off. */
  shortcut: Readonly<{ value: KeyboardShortcut | null }>
  /** Stops listening (it also stops when the caller's scope is disposed). */
  stop: () => void
}

/**
 * Runs `handler` when the shortcut is pressed anywhere in the page. A key press some other
 * handler already took (`defaultPrevented`) is left alone. Matches by physical key
 * (`KeyboardEvent.code`), so Alt+D works on macOS, where it types "∂".
 *
 * @throws when `shortcut` is text that `parseShortcut` cannot read
 */
export function useGlobalShortcut(options: UseGlobalShortcutOptions): UseGlobalShortcutReturn {
  const { handler, window = defaultWindow } = options
  const shortcut = computed(() => {
    const value = toValue(options.shortcut)
    return typeof value === 'string' ? parseShortcut(value) : value || null
  })

  function onKeydown(event: KeyboardEvent): void {
    const current = shortcut.value
    if (!current || event.defaultPrevented || !matchesShortcut(event, current)) return
    event.preventDefault()
    handler(event)
  }

  // Read now, so that a shortcut that cannot be parsed throws here and not on a key press.
  void shortcut.value
  const stop = useEventListener<KeyboardEvent>(window, 'keydown', onKeydown)
  return { shortcut, stop }
}
