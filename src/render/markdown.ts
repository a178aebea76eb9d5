import { Marked } from 'marked'
import { sanitizeHtml } from './sanitize'

// Raw HTML in model output is shown as text: it is escaped before DOMPurify even sees it.
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text)
    },
  },
})

/** Renders markdown to sanitized HTML, ready for innerHTML. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string)
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
