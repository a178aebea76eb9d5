import { computed, shallowRef, toValue, type ComputedRef, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { defaultWindow, useEventListener } from './useEventListener'

/** The widths a drawer gets when neither the host nor the theme says otherwise, in px. */
export const DEFAULT_WIDTHS = { width: 400, min: 320, max: 800 } as const

export interface UseResizableOptions {
  /** The handle on the element's inner edge: dragging it (pointer or touch) and keys on it resize. */
  handle: MaybeRefOrGetter<HTMLElement | null | undefined>
  /** Width in px until one is chosen (or when none is remembered). @default 400 */
  defaultWidth?: MaybeRefOrGetter<number>
  /** Narrowest width in px. @default 320 */
  minWidth?: MaybeRefOrGetter<number>
  /** Widest width in px; never wider than the window. @default 800 */
  maxWidth?: MaybeRefOrGetter<number>
  /** How far an arrow key moves the edge, in px. @default 16 */
  step?: number
  /** localStorage key under which the width is remembered; null remembers nothing. @default null */
  storageKey?: MaybeRefOrGetter<string | null>
  /**
   * Direction of the element, read when a drag or a key starts. The element sits at the inline
   * end of the page, so its inner edge is on its start side: the left in 'ltr', the right in 'rtl'.
   * @default () => 'ltr'
   */
  direction?: () => 'ltr' | 'rtl'
  /**
   * Where this media query matches the element takes the whole width and cannot be resized
   * (narrow screens). @default undefined (resizable at any size)
   */
  fullWidthMedia?: string
  /** The window whose size bounds the width and whose storage remembers it. @default window */
  window?: Window
}

export interface UseResizableReturn {
  /** The width in px, within the bounds. */
  width: ComputedRef<number>
  /** The narrowest width in px. */
  minWidth: ComputedRef<number>
  /** The widest width in px: `maxWidth`, or the window's width when that is less. */
  maxWidth: ComputedRef<number>
  /** False where `fullWidthMedia` matches: no handle then. */
  resizable: Readonly<ShallowRef<boolean>>
  /** A pointer is dragging the handle. */
  dragging: Readonly<ShallowRef<boolean>>
  /** A width was chosen (now or remembered); until then `width` is `defaultWidth`. */
  chosen: ComputedRef<boolean>
  /** Sets the width (kept within the bounds) and remembers it. */
  setWidth: (width: number) => void
}

/**
 * Makes an element that sits at the inline end of the page (a drawer) resizable from its inner
 * edge: by pointer with pointer capture (mouse, pen and touch alike), and by keyboard on the
 * handle (arrow keys move the edge the way they point, Home and End go to the narrowest and the
 * widest). The width is remembered in localStorage when `storageKey` is given.
 *
 * It adds no markup and no ARIA: the caller renders the handle as a `separator` with the
 * returned values.
 */
export function useResizable(options: UseResizableOptions): UseResizableReturn {
  const {
    handle,
    defaultWidth = DEFAULT_WIDTHS.width,
    minWidth = DEFAULT_WIDTHS.min,
    maxWidth = DEFAULT_WIDTHS.max,
    step = 16,
    storageKey = null,
    direction = () => 'ltr',
    fullWidthMedia,
    window = defaultWindow,
  } = options

  const viewportWidth = shallowRef(window?.innerWidth ?? Infinity)
  useEventListener(window, 'resize', () => (viewportWidth.value = window?.innerWidth ?? Infinity))

  const min = computed(() => Math.max(0, Math.round(toValue(minWidth))))
  const max = computed(() => Math.max(min.value, Math.round(Math.min(toValue(maxWidth), viewportWidth.value))))
  const clamp = (value: number): number => Math.min(max.value, Math.max(min.value, Math.round(value)))

  // What the user chose (null: nothing yet); shown within the bounds of the moment, so a window
  // that shrinks and grows again gives it back.
  const preferred = shallowRef<number | null>(recall())
  const width = computed(() => clamp(preferred.value ?? toValue(defaultWidth)))

  const query = fullWidthMedia && typeof window?.matchMedia === 'function' ? window.matchMedia(fullWidthMedia) : null
  const resizable = shallowRef(!query?.matches)
  if (query) useEventListener<MediaQueryListEvent>(query, 'change', (event) => (resizable.value = !event.matches))

  const dragging = shallowRef(false)
  let drag: { pointerId: number; startX: number; startWidth: number; rtl: boolean } | null = null

  function storage(): Storage | null {
    try {
      return window?.localStorage ?? null
    } catch {
      // Storage may be off (private mode, sandboxed frames): the width then lasts for the page's life.
      return null
    }
  }

  function recall(): number | null {
    const key = toValue(storageKey)
    if (!key) return null
    try {
      const stored = Number(storage()?.getItem(key))
      return Number.isFinite(stored) && stored > 0 ? stored : null
    } catch {
      return null
    }
  }

  function remember(): void {
    const key = toValue(storageKey)
    if (!key) return
    try {
      storage()?.setItem(key, String(width.value))
    } catch {
      // See storage(): not remembered, still applied.
    }
  }

  function setWidth(value: number): void {
    if (!Number.isFinite(value)) return
    preferred.value = clamp(value)
    remember()
  }

  function onPointerDown(event: PointerEvent): void {
    if (!resizable.value || event.button !== 0 || drag) return
    // No text selection, and on touch no scrolling, while the edge moves.
    event.preventDefault()
    const target = event.currentTarget as HTMLElement
    try {
      // Moves go on reaching the handle wherever the pointer goes, until it is released.
      target.setPointerCapture?.(event.pointerId)
    } catch {
      // A pointer that is gone already cannot be captured; its moves over the handle still count.
    }
    drag = { pointerId: event.pointerId, startX: event.clientX, startWidth: width.value, rtl: direction() === 'rtl' }
    dragging.value = true
  }

  function onPointerMove(event: PointerEvent): void {
    if (!drag || event.pointerId !== drag.pointerId) return
    const moved = event.clientX - drag.startX
    // The edge follows the pointer: towards the page widens the element.
    preferred.value = clamp(drag.startWidth + (drag.rtl ? moved : -moved))
  }

  function onPointerEnd(event: PointerEvent): void {
    if (!drag || event.pointerId !== drag.pointerId) return
    drag = null
    dragging.value = false
    remember()
  }

  function onKeydown(event: KeyboardEvent): void {
    if (!resizable.value || event.altKey || event.ctrlKey || event.metaKey) return
    const rtl = direction() === 'rtl'
    let next: number
    switch (event.key) {
      case 'ArrowLeft':
        // The edge moves the way the arrow points: left widens a drawer whose inner edge is its left.
        next = width.value + (rtl ? -step : step)
        break
      case 'ArrowRight':
        next = width.value + (rtl ? step : -step)
        break
      case 'Home':
        next = min.value
        break
      case 'End':
        next = max.value
        break
      default:
        return
    }
    event.preventDefault()
    setWidth(next)
  }

  useEventListener<PointerEvent>(handle, 'pointerdown', onPointerDown)
  useEventListener<PointerEvent>(handle, 'pointermove', onPointerMove)
  useEventListener<PointerEvent>(handle, 'pointerup', onPointerEnd)
  useEventListener<PointerEvent>(handle, 'pointercancel', onPointerEnd)
  useEventListener<PointerEvent>(handle, 'lostpointercapture', onPointerEnd)
  useEventListener<KeyboardEvent>(handle, 'keydown', onKeydown)

  const chosen = computed(() => preferred.value !== null)
  return { width, minWidth: min, maxWidth: max, resizable, dragging, chosen, setWidth }
}

/** Widths must be positive numbers of px, the narrowest no wider than the widest. */
export function checkWidths(minWidth: unknown, maxWidth: unknown): void {
  for (const [name, value] of [['minWidth', minWidth], ['maxWidth', maxWidth]] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
      throw new TypeError(`[duo-chat-drawer]: ${name} must be a positive number of pixels, got ${JSON.stringify(value)}.`)
    }
  }
  if (typeof minWidth === 'number' && typeof maxWidth === 'number' && minWidth > maxWidth) {
    throw new RangeError(`[duo-chat-drawer]: minWidth (${minWidth}) is wider than maxWidth (${maxWidth}).`)
  }
}
