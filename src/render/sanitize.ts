import DOMPurify, { type Config } from 'dompurify'
import { applyUrlPolicy, BLOCKED_IMAGE_ATTRIBUTE } from './urlPolicy'

/**
 * The one DOMPurify profile for model output. Model text is hostile: no scripts, styles, forms,
 * frames or event handlers; links only http(s), mailto and relative; images only from allowed
 * origins; never `javascript:` or `data:text/html` anywhere. URLs are judged by `applyUrlPolicy`
 * (./urlPolicy), as the browser resolves them.
 */
export const SANITIZE_CONFIG = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math', 'template', 'video', 'audio', 'source', 'track', 'picture', 'portal', 'noscript', 'dialog'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'xlink:href', 'ping', 'background', 'poster', 'usemap'],
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  ALLOW_DATA_ATTR: false,
} satisfies Config

export interface SanitizeOptions {
  /**
   * Origins images may load from, e.g. `['https://gitlab.example.com']`. `'self'` is the page's
   * own origin (relative URLs resolve to it). An image from anywhere else is replaced by its alt
   * text. @default ['self']
   */
  allowedImageOrigins?: readonly string[]
}

const defaults: Required<SanitizeOptions> = { allowedImageOrigins: ['self'] }

/** Sets the options every renderer uses unless it is given its own (e.g. from the plugin's config). */
export function configureSanitizer(options: SanitizeOptions): void {
  if (options.allowedImageOrigins) defaults.allowedImageOrigins = [...options.allowedImageOrigins]
}

/** The image origins a renderer with these options allows. */
export function imageOrigins(options: SanitizeOptions = {}): readonly string[] {
  return options.allowedImageOrigins ?? defaults.allowedImageOrigins
}

let activeImageOrigins: readonly string[] = defaults.allowedImageOrigins

function addHooks(purifier: ReturnType<typeof DOMPurify>): void {
  // Whatever DOMPurify let through (it allows `data:` on images, say), the URL policy has the
  // last word on every URL attribute.
  purifier.addHook('afterSanitizeAttributes', (node) => applyUrlPolicy(node, { allowedImageOrigins: activeImageOrigins }))
}

let fragmentPurifier: ReturnType<typeof DOMPurify> | null = null
function getFragmentPurifier(): ReturnType<typeof DOMPurify> {
  if (fragmentPurifier) return fragmentPurifier
  fragmentPurifier = DOMPurify(globalThis.window)
  addHooks(fragmentPurifier)
  // Parsed once: sanitize() then skips re-reading the configuration on every call.
  fragmentPurifier.setConfig({ ...SANITIZE_CONFIG, RETURN_DOM_FRAGMENT: true })
  return fragmentPurifier
}

/**
 * Sanitizes HTML into a DocumentFragment ready to insert. Returning nodes (not a string) spares a
 * serialize-and-reparse round trip, and with it the class of mutation-XSS that round trip opens.
 */
export function sanitizeToFragment(html: string, options: SanitizeOptions = {}): DocumentFragment {
  activeImageOrigins = imageOrigins(options)
  const fragment = getFragmentPurifier().sanitize(html) as unknown as DocumentFragment
  if (/<img/i.test(html)) {
    for (const img of fragment.querySelectorAll(`img[${BLOCKED_IMAGE_ATTRIBUTE}]`)) {
      const alt = img.getAttribute('alt') ?? ''
      img.replaceWith(img.ownerDocument.createTextNode(alt))
    }
  }
  return fragment
}

/** Sanitizes HTML for insertion with innerHTML. */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const fragment = sanitizeToFragment(html, options)
  const holder = fragment.ownerDocument.createElement('div')
  holder.append(fragment)
  return holder.innerHTML
}
