/** A parsed keyboard shortcut such as "Alt+D" or "Ctrl+Shift+K". */
export interface KeyboardShortcut {
  alt: boolean
  ctrl: boolean
  shift: boolean
  meta: boolean
  /** `KeyboardEvent.code` of the main key, e.g. "KeyD": layout-independent, and Alt+D on macOS types "∂". */
  code: string
}

const MODIFIERS = new Set(['alt', 'ctrl', 'control', 'shift', 'meta', 'cmd'])

/** Parses "Alt+D"; throws an error that names the part it cannot read. */
export function parseShortcut(text: string): KeyboardShortcut {
  const parts = text.split('+').map((p) => p.trim())
  const key = parts.pop() ?? ''
  const modifiers = parts.map((p) => p.toLowerCase())
  const unknown = modifiers.find((m) => !MODIFIERS.has(m))
  if (unknown) throw new Error(`[duo-chat-drawer]: unknown modifier "${unknown}" in shortcut "${text}"; use Alt, Ctrl, Shift or Meta.`)
  let code: string
  if (/^[a-z]$/i.test(key)) code = `Key${key.toUpperCase()}`
  else if (/^\d$/.test(key)) code = `Digit${key}`
  else if (/^F\d{1,2}$/i.test(key)) code = key.toUpperCase()
  else if (key === '/') code = 'Slash'
  else if (key === '.') code = 'Period'
  else throw new Error(`[duo-chat-drawer]: cannot read the key "${key}" in shortcut "${text}"; use a letter, a digit, F1–F12, "/" or ".".`)
  return {
    alt: modifiers.includes('alt'),
    ctrl: modifiers.includes('ctrl') || modifiers.includes('control'),
    shift: modifiers.includes('shift'),
    meta: modifiers.includes('meta') || modifiers.includes('cmd'),
    code,
  }
}

export function matchesShortcut(event: KeyboardEvent, shortcut: KeyboardShortcut): boolean {
  return (
    event.code === shortcut.code &&
    event.altKey === shortcut.alt &&
    event.ctrlKey === shortcut.ctrl &&
    event.shiftKey === shortcut.shift &&
    event.metaKey === shortcut.meta
  )
}
