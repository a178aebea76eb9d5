/**
 * The one URL policy of the renderer: which `href`s and `src`s model output may keep, and which
 * links leave the page. Decided on the URL as the browser resolves it against the document's base,
 * never on how the text is spelled: `https:evil.example`, `//evil.example` and `/\evil.example`
 * are all foreign hosts, though none starts with `https://`.
 */

/** Schemes that must never survive, whatever DOMPurify thinks of them. */
const HOSTILE_SCHEME = /^(?:javascript|vbscript|data|file|blob):/i

export type UrlVerdict =
  /** Drop the attribute. */
  | { allowed: false }
  /**
   * Keep it. `external`: an http(s) URL of another origin than the page's, which must open in a
   * new tab with no opener and no referrer. `url`: the URL as resolved.
   */
  | { allowed: true; external: boolean; url: URL }

export interface UrlPolicyOptions {
  /** Origins images may load from; `'self'` is the page's own. */
  allowedImageOrigins: readonly string[]
}

/** Strips control characters and whitespace the way browsers do before reading a URL's scheme. */
export function schemeOf(value: string): string {
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase()
}

/** Whether a URL attribute's value names a script-capable or opaque scheme. */
export function isHostileUrl(value: string): boolean {
  return HOSTILE_SCHEME.test(schemeOf(value))
}

/** The base the page resolves relative URLs against (its `<base>`, else its address). */
export function documentBase(): string | undefined {
  return globalThis.document?.baseURI ?? globalThis.location?.href
}

/** The page's origin, or undefined outside a page. */
function selfOrigin(): string | undefined {
  return globalThis.location?.origin
}

/** `value` resolved as the page would, or null if it is no URL at all. */
export function resolveUrl(value: string, base: string | undefined = documentBase()): URL | null {
  try {
    return new URL(value, base)
  } catch {
    return null
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}

/** Whether `url` points away from the page: http(s) on another origin. */
export function isExternal(url: URL): boolean {
  return isHttp(url) && url.origin !== selfOrigin()
}

/** The verdict on a link's `href`. */
export function linkVerdict(href: string): UrlVerdict {
  if (isHostileUrl(href)) return { allowed: false }
  const url = resolveUrl(href)
  // What the browser cannot resolve it cannot follow either; what it can, it follows as resolved.
  if (!url || isHostileUrl(url.href)) return { allowed: false }
  return { allowed: true, external: isExternal(url), url }
}

/** The verdict on an image's `src`: http(s) from an allowed origin only. */
export function imageVerdict(src: string, options: UrlPolicyOptions): UrlVerdict {
  if (isHostileUrl(src)) return { allowed: false }
  const url = resolveUrl(src)
  if (!url || !isHttp(url)) return { allowed: false }
  const self = selfOrigin()
  const allowed = options.allowedImageOrigins.some((origin) => (origin === 'self' ? url.origin === self : url.origin === origin.replace(/\/+$/, '')))
  return allowed ? { allowed: true, external: url.origin !== self, url } : { allowed: false }
}

/** Marks an image the policy refused; the sanitizer shows its alt text instead. */
export const BLOCKED_IMAGE_ATTRIBUTE = 'data-duo-blocked-image'
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'action', 'formaction', 'xlink:href']

/**
 * Applies the policy to one element's URL attributes, in place: hostile schemes go from every URL
 * attribute; a link's `href` is kept, dropped, or (when it leaves the page) written as resolved
 * with `target="_blank" rel="noopener noreferrer" referrerpolicy="no-referrer"`; an image not
 * allowed loses its `src` and gets {@link BLOCKED_IMAGE_ATTRIBUTE}. The sanitizer's hook calls it
 * on every element; anything else that builds elements from model output must too.
 */
export function applyUrlPolicy(element: Element, options: UrlPolicyOptions): void {
  for (const name of URL_ATTRIBUTES) {
    const value = element.getAttribute(name)
    if (value !== null && isHostileUrl(value)) element.removeAttribute(name)
  }
  const tag = element.tagName
  if (tag === 'A' || tag === 'AREA') {
    const href = element.getAttribute('href')
    const verdict = href === null ? null : linkVerdict(href)
    if (verdict && !verdict.allowed) element.removeAttribute('href')
    if (verdict?.allowed && verdict.external) {
      // Written as resolved: what the link says is where it goes, whatever the spelling was.
      element.setAttribute('href', verdict.url.href)
      element.setAttribute('target', '_blank')
      element.setAttribute('rel', 'noopener noreferrer')
      element.setAttribute('referrerpolicy', 'no-referrer')
    } else {
      element.removeAttribute('target')
      element.removeAttribute('referrerpolicy')
    }
  } else if (tag === 'IMG') {
    const src = element.getAttribute('src')
    if (!src || !imageVerdict(src, options).allowed) {
      element.removeAttribute('src')
      element.setAttribute(BLOCKED_IMAGE_ATTRIBUTE, '')
    }
  }
}
