/**
 * Decorations against text that lies about itself: a link whose text names another host than
 * the one it opens, a look-alike (internationalized) host, and characters in code that are not
 * seen but change how it reads (bidirectional controls, zero-width characters). They run on
 * sanitized nodes and add only elements of our own, with their text set as text.
 */
import type { RendererLabels } from './labels'
import { isExternal, linkVerdict } from './urlPolicy'

/** Elements the renderer adds to rendered markdown: text walkers skip them; a morph keeps them in sync. */
export const DECORATION_ATTRIBUTE = 'data-duo-decoration'
export const LINK_HOST_CLASS = 'duo-chat-link-host'
export const HIDDEN_CHAR_CLASS = 'duo-chat-hidden-char'
/** On a marker: the code point (hex) it stands for, so that Copy can put it back. */
const HIDDEN_CHAR_ATTRIBUTE = 'data-duo-char'

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks) and zero-width characters:
 * invisible, yet they reorder or split what is shown (the "Trojan Source" characters).
 */
const HIDDEN = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'g')

export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text)
}

function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * Replaces every hidden character in the text of `root` by a visible marker naming it. Returns
 * whether it found any. The character itself is kept on the marker for {@link sourceText}.
 */
export function markHiddenCharacters(root: Element, labels: RendererLabels): boolean {
  const doc = root.ownerDocument
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */)
  const texts: Text[] = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (HIDDEN.test(node.nodeValue ?? '') && !node.parentElement?.closest(`[${DECORATION_ATTRIBUTE}]`)) texts.push(node as Text)
  }
  for (const text of texts) {
    const data = text.data
    const parts: Node[] = []
    let last = 0
    for (const match of data.matchAll(HIDDEN_ALL)) {
      if (match.index > last) parts.push(doc.createTextNode(data.slice(last, match.index)))
      const name = codePointName(match[0])
      const marker = doc.createElement('span')
      marker.className = HIDDEN_CHAR_CLASS
      marker.setAttribute(DECORATION_ATTRIBUTE, '')
      marker.setAttribute(HIDDEN_CHAR_ATTRIBUTE, name.slice(2))
      marker.title = labels.hiddenCharacter(name)
      marker.textContent = name
      parts.push(marker)
      last = match.index + match[0].length
    }
    if (last < data.length) parts.push(doc.createTextNode(data.slice(last)))
    text.replaceWith(...parts)
  }
  return texts.length > 0
}

/** The text of `root` as the model wrote it: markers turned back into their characters. */
export function sourceText(root: Node): string {
  if (root.nodeType === 3) return root.nodeValue ?? ''
  if (root.nodeType !== 1 && root.nodeType !== 11) return ''
  const element = root as Element
  const hex = root.nodeType === 1 ? element.getAttribute(HIDDEN_CHAR_ATTRIBUTE) : null
  if (hex !== null) return String.fromCodePoint(Number.parseInt(hex, 16))
  let text = ''
  for (let child = root.firstChild; child; child = child.nextSibling) text += sourceText(child)
  return text
}

/** Marks the hidden characters of every code element (block or inline) in `root`. */
export function decorateHiddenCharacters(root: DocumentFragment | Element, labels: RendererLabels): void {
  for (const code of root.querySelectorAll('code')) if (HIDDEN.test(code.textContent ?? '')) markHiddenCharacters(code, labels)
}

/** Whether `root` holds a hidden-character marker. */
export function hasHiddenCharacterMarker(root: Element): boolean {
  return root.querySelector(`.${HIDDEN_CHAR_CLASS}`) !== null
}

/** File names are not hosts: `app.js` as link text names a file, whatever the TLD list says. */
const FILE_EXTENSIONS = new Set(
  'js mjs cjs jsx ts tsx vue rb py go rs java kt swift c h cc cpp hpp cs php pl md txt json yml yaml toml xml html htm css scss sh bash zsh lock log ini cfg conf svg png jpg jpeg gif sql graphql gql'.split(' '),
)
const WITH_SCHEME = /^(?:[a-z][a-z\d+.-]*:)?\/\/([^/?#\s]+)/i
const BARE_HOST = /^((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(\p{L}{2,}))\.?(?::\d+)?(?:[/?#]\S*)?$/u

/** The host (ASCII) that `text` names, if it reads as a URL or a domain name; else null. */
export function hostNamedBy(text: string): string | null {
  const clean = text.replace(HIDDEN_ALL, '').trim()
  let authority: string | undefined
  const withScheme = WITH_SCHEME.exec(clean)
  if (withScheme) authority = withScheme[1]
  else {
    const bare = BARE_HOST.exec(clean)
    if (bare && !FILE_EXTENSIONS.has(bare[2]!.toLowerCase())) authority = bare[1]
  }
  if (!authority) return null
  try {
    return new URL(`http://${authority}`).hostname
  } catch {
    return null
  }
}

function sameHost(a: string, b: string): boolean {
  const normal = (host: string): string => host.toLowerCase().replace(/\.$/, '').replace(/^www\./, '')
  return normal(a) === normal(b)
}

function isInternationalized(host: string): boolean {
  return host.split('.').some((label) => label.startsWith('xn--'))
}

/**
 * The host a link should show beside it, or null: when its text names another host, when its
 * host is internationalized (a look-alike of a familiar name is, in ASCII, plainly another), when
 * its URL carries a user name before the host, or when its text hides bidirectional or zero-width
 * characters.
 */
export function hostToShow(link: Element): string | null {
  const href = link.getAttribute('href')
  if (href === null) return null
  const text = sourceText(link)
  const hidden = HIDDEN.test(text)
  const named = hostNamedBy(text)
  // Most links: plain words, to an ASCII host with no user name (the sanitizer wrote external
  // hrefs as resolved, so an internationalized host is in punycode there). No URL to parse.
  if (!hidden && named === null && !/xn--|@/i.test(href)) return null
  const verdict = linkVerdict(href)
  if (!verdict.allowed) return null
  const url = verdict.url
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null
  if (named !== null && !sameHost(named, url.hostname)) return url.host
  if (hidden) return url.host
  // A look-alike of the page's own host is the page itself: only links that leave it count.
  // `https://gitlab.com@evil.example` reads as gitlab.com and goes to evil.example.
  if (isExternal(url) && (url.username || url.password || isInternationalized(url.hostname))) return url.host
  return null
}

/**
 * Puts the real destination beside every link that needs it ({@link hostToShow}). Its own
 * `dir="ltr"` isolates it, and a link whose text holds bidirectional controls is isolated too
 * (`dir="auto"`), so an override in the link text can turn around neither the host nor the text
 * after the link.
 */
export function decorateLinks(root: DocumentFragment | Element, labels: RendererLabels): void {
  for (const link of root.querySelectorAll('a[href]')) {
    const host = hostToShow(link)
    if (host === null) continue
    // An override in the link text would otherwise run on past the link, over the host too.
    if (HIDDEN.test(sourceText(link))) link.setAttribute('dir', 'auto')
    const note = link.ownerDocument.createElement('span')
    note.className = LINK_HOST_CLASS
    note.setAttribute(DECORATION_ATTRIBUTE, '')
    note.dir = 'ltr'
    note.textContent = ` ${labels.linkDestination(host)}`
    link.after(note)
  }
}
