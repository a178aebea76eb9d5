import { Lexer, Marked, type Token, type TokensList } from 'marked'
import { sanitizeHtml, type SanitizeOptions } from './sanitize'

/** Reference-link definitions, as marked keeps them (`[label]: href "title"`). */
export type LinkDefinitions = TokensList['links']

// Raw HTML in model output is shown as text: it is escaped before DOMPurify even sees it.
export const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text)
    },
  },
})

/** Lexes markdown into top-level block tokens, resolving references against `links` too. */
export function lexBlocks(markdown: string, links?: LinkDefinitions): { tokens: Token[]; links: LinkDefinitions } {
  const lexer = new Lexer(marked.defaults)
  if (links) Object.assign(lexer.tokens.links, links)
  const tokens = lexer.lex(markdown)
  return { tokens, links: tokens.links }
}

/** Renders block tokens to (unsanitized) HTML. */
export function renderTokens(tokens: Token[]): string {
  return tokens.length ? (marked.parser(tokens) as string) : ''
}

/** Renders markdown to sanitized HTML, ready for innerHTML. */
export function renderMarkdown(markdown: string, options: SanitizeOptions = {}): string {
  return sanitizeHtml(marked.parse(markdown) as string, options)
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
