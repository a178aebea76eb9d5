/**
 * DOM for the unfinished tail of a streamed answer, built straight from marked's tokens instead
 * of from HTML. The tail changes every frame; parsing its HTML in DOMPurify's fresh document each
 * time was most of a frame's cost. Finished blocks still go through DOMPurify, always.
 *
 * What keeps this safe without a sanitizer:
 * - elements come only from {@link TAIL_ELEMENTS}, the markup marked writes for markdown, and the
 *   only attributes set are `href`, `class` (a code block's language), `start` and `align`;
 * - every text is a text node: raw HTML in model output stays text, as on the HTML path;
 * - every URL goes through `applyUrlPolicy` (./urlPolicy), the very function DOMPurify's hook runs;
 * - anything this path does not mirror exactly (images, link titles, entities, URLs DOMPurify's
 *   profile would refuse, a token type it does not know) returns null, and the caller takes the
 *   HTML path with DOMPurify. So the nodes built are the nodes DOMPurify would have kept: the
 *   tests compare both paths on every prefix of the answer corpus and the XSS corpus.
 */
import type { Token, Tokens } from 'marked'
import { SANITIZE_CONFIG } from './sanitize'
import { applyUrlPolicy, type UrlPolicyOptions } from './urlPolicy'

/** The only elements the tail is built from. */
export const TAIL_ELEMENTS: ReadonlySet<string> = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'code', 'blockquote', 'ul', 'ol', 'li', 'hr',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 'del', 'a', 'br',
])

/** Thrown inside the builder when the HTML path must decide. */
class TakeHtmlPath extends Error {}

/**
 * Text as marked writes it without encoding turns `&...;` into a character reference, which the
 * HTML path decodes: that, and characters the HTML parser rewrites, are left to it.
 */
const REWRITTEN_BY_PARSER = /[\0\r]/
const ENTITY_PRONE = /[&\0\r]/
/** A code block's language that DOMPurify keeps as written (no quotes, entities or markup). */
const PLAIN_LANGUAGE = /^[^\s&<>"'`\0\r]*$/
/** What DOMPurify strips from a URL before testing it against the profile's regexp. */
const ATTR_WHITESPACE = /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g

/**
 * Builds one top-level block token of the tail into a fragment, or returns null when the HTML
 * path (marked + DOMPurify) must render it.
 */
export function buildTailBlock(token: Token, doc: Document, policy: UrlPolicyOptions): DocumentFragment | null {
  const fragment = doc.createDocumentFragment()
  try {
    new Builder(doc, policy).block(fragment, token)
  } catch (e) {
    if (e instanceof TakeHtmlPath) return null
    throw e
  }
  return fragment
}

class Builder {
  constructor(
    private readonly doc: Document,
    private readonly policy: UrlPolicyOptions,
  ) {}

  block(parent: Node, token: Token): void {
    switch (token.type) {
      case 'space':
      case 'def':
        return
      case 'paragraph':
        this.inline(this.element(parent, 'p'), (token as Tokens.Paragraph).tokens)
        return this.text(parent, '\n', true)
      case 'heading': {
        const heading = token as Tokens.Heading
        this.inline(this.element(parent, `h${heading.depth}`), heading.tokens)
        return this.text(parent, '\n', true)
      }
      case 'code':
        return this.code(parent, token as Tokens.Code)
      case 'blockquote': {
        const quote = this.element(parent, 'blockquote')
        this.text(quote, '\n', true)
        for (const child of (token as Tokens.Blockquote).tokens) this.block(quote, child)
        return this.text(parent, '\n', true)
      }
      case 'hr':
        this.element(parent, 'hr')
        return this.text(parent, '\n', true)
      case 'list':
        return this.list(parent, token as Tokens.List)
      case 'table':
        return this.table(parent, token as Tokens.Table)
      case 'html':
        // Raw HTML is shown as text, exactly as the HTML path escapes it.
        return this.text(parent, (token as Tokens.HTML).text, true)
      case 'text':
        return this.plain(parent, token as Tokens.Text)
      case 'checkbox':
        return this.checkbox(parent)
      default:
        throw new TakeHtmlPath()
    }
  }

  private code(parent: Node, token: Tokens.Code): void {
    if (token.escaped) throw new TakeHtmlPath()
    const language = (token.lang ?? '').match(/^\S*/)?.[0] ?? ''
    if (!PLAIN_LANGUAGE.test(language)) throw new TakeHtmlPath()
    const pre = this.element(parent, 'pre')
    const code = this.element(pre, 'code')
    if (language) code.className = `language-${language}`
    this.text(code, token.text ? `${token.text.replace(/\n$/, '')}\n` : '', true)
    this.text(parent, '\n', true)
  }

  private list(parent: Node, token: Tokens.List): void {
    const list = this.element(parent, token.ordered ? 'ol' : 'ul')
    if (token.ordered && token.start !== 1) list.setAttribute('start', String(token.start))
    this.text(list, '\n', true)
    for (const item of token.items) {
      const li = this.element(list, 'li')
      for (const child of item.tokens) this.block(li, child)
      this.text(list, '\n', true)
    }
    this.text(parent, '\n', true)
  }

  private table(parent: Node, token: Tokens.Table): void {
    const table = this.element(parent, 'table')
    this.text(table, '\n', true)
    const head = this.element(table, 'thead')
    this.text(head, '\n', true)
    this.row(head, token.header)
    this.text(table, '\n', true)
    if (token.rows.length) {
      const body = this.element(table, 'tbody')
      for (const row of token.rows) this.row(body, row)
    }
    this.text(parent, '\n', true)
  }

  private row(parent: Node, cells: Tokens.TableCell[]): void {
    const row = this.element(parent, 'tr')
    this.text(row, '\n', true)
    for (const cell of cells) {
      const element = this.element(row, cell.header ? 'th' : 'td')
      if (cell.align) element.setAttribute('align', cell.align)
      this.inline(element, cell.tokens)
      this.text(row, '\n', true)
    }
    this.text(parent, '\n', true)
  }

  private inline(parent: Node, tokens: readonly Token[]): void {
    for (const token of tokens) {
      switch (token.type) {
        case 'text':
          this.plain(parent, token as Tokens.Text)
          break
        case 'escape':
          this.text(parent, (token as Tokens.Escape).text, false)
          break
        case 'html':
          this.text(parent, (token as Tokens.Tag).text, true)
          break
        case 'strong':
        case 'em':
        case 'del':
          this.inline(this.element(parent, token.type), (token as Tokens.Strong).tokens)
          break
        case 'codespan':
          this.text(this.element(parent, 'code'), (token as Tokens.Codespan).text, true)
          break
        case 'br':
          this.element(parent, 'br')
          break
        case 'link':
          this.link(parent, token as Tokens.Link)
          break
        case 'checkbox':
          this.checkbox(parent)
          break
        default:
          // Images (a refused one shows its alt text) and anything else: the HTML path.
          throw new TakeHtmlPath()
      }
    }
  }

  private plain(parent: Node, token: Tokens.Text): void {
    // Text marked marks as escaped goes into the HTML as it is (inside raw HTML tags): it reads
    // back as written unless it holds markup or a reference, which the HTML path parses.
    if (token.escaped && token.text.includes('<')) throw new TakeHtmlPath()
    if (token.tokens) this.inline(parent, token.tokens)
    else this.text(parent, token.text, false)
  }

  private link(parent: Node, token: Tokens.Link): void {
    if (token.title) throw new TakeHtmlPath()
    const href = cleanUrl(token.href)
    if (href === null) {
      this.linkText(parent, token)
      return
    }
    // Only what DOMPurify's profile keeps as written; the rest is its call.
    if (ENTITY_PRONE.test(href) || !SANITIZE_CONFIG.ALLOWED_URI_REGEXP.test(href.replace(ATTR_WHITESPACE, '')) || href !== href.trim()) throw new TakeHtmlPath()
    const a = this.element(parent, 'a')
    a.setAttribute('href', href)
    applyUrlPolicy(a, this.policy)
    this.linkText(a, token)
  }

  private linkText(parent: Node, token: Tokens.Link): void {
    if (token.tokens && !isAutolink(token)) this.inline(parent, token.tokens)
    else this.text(parent, token.text, true)
  }

  /** A task item's box: DOMPurify's profile drops the input, and leaves the space after it. */
  private checkbox(parent: Node): void {
    if (parent.lastChild?.nodeType === 3) throw new TakeHtmlPath()
    this.text(parent, ' ', true)
  }

  private element(parent: Node, tag: string): HTMLElement {
    if (!TAIL_ELEMENTS.has(tag)) throw new TakeHtmlPath()
    return parent.appendChild(this.doc.createElement(tag))
  }

  /**
   * Appends text as the HTML parser would leave it: one node for adjacent text. `literal`: the
   * HTML path encodes every `&` of this text, so it reads back exactly as written.
   */
  private text(parent: Node, data: string, literal: boolean): void {
    if (!data) return
    if ((literal ? REWRITTEN_BY_PARSER : ENTITY_PRONE).test(data)) throw new TakeHtmlPath()
    const last = parent.lastChild
    if (last?.nodeType === 3) (last as Text).appendData(data)
    else parent.appendChild(this.doc.createTextNode(data))
  }
}

function isAutolink(token: Tokens.Link): boolean {
  return (token as Tokens.Link & { autolink?: boolean }).autolink === true
}

/** marked's own URL clean-up: what its HTML renderer writes into `href`. */
function cleanUrl(href: string): string | null {
  try {
    return encodeURI(href).replace(/%25/g, '%')
  } catch {
    return null
  }
}
