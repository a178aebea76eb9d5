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
