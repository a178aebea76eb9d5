import { toValue, type MaybeRefOrGetter } from 'vue'
import { defaultWindow, useEventListener } from './useEventListener'

export interface UseFocusTrapOptions {
  /** The element Tab stays inside. */
  target: MaybeRefOrGetter<HTMLElement | null | undefined>
  /** Whether the trap holds; read on every Tab. @default true */
  active?: MaybeRefOrGetter<boolean>
  /**
   * The trap holds only while this media query matches, e.g. where the element covers the page;
   * where `matchMedia` is missing it never holds. @default undefined (holds at any size)
   */
  media?: string
  /** The window whose Tab presses are watched. @default window */
  window?: Window
}

export interface UseFocusTrapReturn {
  /** Whether Tab is kept inside the target right now. */
  isTrapping: () => boolean
  /** The target's elements that Tab reaches, in order. */
  tabbables: () => HTMLElement[]
  /** Releases the trap for good (it also goes when the caller's scope is disposed). */
  stop: () => void
}

const FOCUSABLE = 'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex]'

/**
 * Keeps Tab inside `target`: from its last element to its first, Shift+Tab from the first to the
 * last, and from outside (focus lost to the page, e.g. when a focused button went away) back in.
 * It adds no role: a drawer that covers the page stays an `aside`. Works inside a shadow root.
 */
export function useFocusTrap(options: UseFocusTrapOptions): UseFocusTrapReturn {
  const { target, active = true, media, window = defaultWindow } = options

  function isTrapping(): boolean {
    if (!toValue(active) || !toValue(target)) return false
    if (media === undefined) return true
    return typeof window?.matchMedia === 'function' && window.matchMedia(media).matches
  }

  function tabbables(): HTMLElement[] {
    const root = toValue(target)
    if (!root) return []
    return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) =>
        el.tabIndex >= 0 &&
        !el.closest('[inert]') &&
        // Hidden ones (display: none, a closed <details>) take no focus; jsdom has no layout to tell.
        (typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true })),
    )
  }

  function onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab' || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || !isTrapping()) return
    const root = toValue(target)!
    const items = tabbables()
    if (!items.length) return
    const first = items[0]!
    const last = items.at(-1)!
    // composedPath()[0] is the focused element, inside the shadow root of the script-tag host too.
    const path = event.composedPath()
    const focused = path[0]
    let next: HTMLElement | null = null
    if (!path.includes(root)) next = event.shiftKey ? last : first
    else if (event.shiftKey && (focused === first || focused === root)) next = last
    else if (!event.shiftKey && focused === last) next = first
    if (!next) return
    event.preventDefault()
    next.focus()
  }

  const stop = useEventListener<KeyboardEvent>(window, 'keydown', onKeydown)
  return { isTrapping, tabbables, stop }
}
