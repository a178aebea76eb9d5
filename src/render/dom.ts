/**
 * DOM helpers of the renderer: code-block chrome, the Copy button, and a small positional morph
 * that brings the streamed tail up to date while keeping its nodes (and the reader's selection).
 */

import { defaultRendererLabels, type RendererLabels } from './labels'
import { DECORATION_ATTRIBUTE, hasHiddenCharacterMarker, hasHiddenCharacters, sourceText } from './spoofing'

/** Our own elements inside rendered markdown that a morph must leave as they are. */
export const KEEP_ATTRIBUTE = 'data-duo-keep'
export const CODE_CLASS = 'duo-chat-code'

export const TABLE_CLASS = 'duo-chat-table'

/** What the host takes from a code block's Insert code button: the code as written, and its language ('' when none). */
export type InsertCodeHandler = (code: string, language: string) => void

export interface CodeBlockOptions {
  /** Adds an "Insert code" button beside Copy (the host takes code: `onInsertCode`). @default false */
  insertCode?: boolean
}

/**
 * Gives every `<pre><code>` a header with its language and a Copy button (and Insert code, when
 * asked), and a note when the code holds hidden characters (marked before, by
 * `decorateHiddenCharacters`). Runs on sanitized nodes; the label is set as text, so a hostile
 * language name stays a string.
 */
export function decorateCodeBlocks(
  root: DocumentFragment | Element,
  labels: RendererLabels = defaultRendererLabels,
  { insertCode = false }: CodeBlockOptions = {},
): void {
  if (!root.firstChild) return
  const blocks = root.querySelectorAll('pre')
  for (const pre of blocks) {
    const code = pre.firstElementChild
    if (!code || code.tagName !== 'CODE' || pre.parentElement?.classList.contains(CODE_CLASS)) continue
    const doc = pre.ownerDocument
    // A long line scrolls sideways: the block must take the focus so the keyboard can scroll it.
    pre.tabIndex = 0
    const figure = doc.createElement('div')
    figure.className = CODE_CLASS
    const header = doc.createElement('div')
    header.className = `${CODE_CLASS}__header`
    const label = doc.createElement('span')
    label.className = `${CODE_CLASS}__lang`
    label.textContent = languageOf(code) || labels.codeWithoutLanguage
    const copy = doc.createElement('button')
    copy.type = 'button'
    copy.className = `${CODE_CLASS}__copy`
    copy.setAttribute(KEEP_ATTRIBUTE, '')
    // Named for what it copies: the answer as a whole may have a Copy button of its own.
    copy.setAttribute('aria-label', labels.copyCode)
    copy.textContent = labels.copy
    const actions = doc.createElement('span')
    actions.className = `${CODE_CLASS}__actions`
    if (insertCode) {
      const insert = doc.createElement('button')
      insert.type = 'button'
      insert.className = `${CODE_CLASS}__insert`
      insert.setAttribute(KEEP_ATTRIBUTE, '')
      insert.textContent = labels.insertCode
      actions.append(insert)
    }
    actions.append(copy)
    header.append(label, actions)
    pre.replaceWith(figure)
    figure.append(header)
    if (hasHiddenCharacterMarker(code)) {
      // As code hosts do: the reader learns before reading that the code is not what it looks like.
      const note = doc.createElement('p')
      note.className = `${CODE_CLASS}__note`
      note.setAttribute('role', 'note')
      note.setAttribute(DECORATION_ATTRIBUTE, '')
      note.textContent = labels.hiddenCharactersNote
      figure.append(note)
    }
    figure.append(pre)
  }
}

/**
 * Puts every `<table>` in a region that scrolls sideways: a wide table keeps its words whole
 * rather than squeezing its columns letter by letter. The region takes the focus, so that the
 * keyboard can scroll it, and so it needs a name.
 */
export function decorateTables(root: DocumentFragment | Element, labels: RendererLabels = defaultRendererLabels): void {
  for (const table of root.querySelectorAll('table')) {
    if (table.parentElement?.classList.contains(TABLE_CLASS)) continue
    const region = table.ownerDocument.createElement('div')
    region.className = TABLE_CLASS
    region.setAttribute('role', 'region')
    region.setAttribute('aria-label', labels.table)
    region.tabIndex = 0
    table.replaceWith(region)
    region.append(table)
  }
}

/**
 * Hands a code block's code to `onInsertCode` when its Insert code button is pressed, with one
 * delegated listener on `container`. Returns a function that removes it.
 */
export function handleInsertCodeButtons(container: HTMLElement, onInsertCode: InsertCodeHandler): () => void {
  const onClick = (event: Event): void => {
    const target = event.target
    if (!(target instanceof Element)) return
    const button = target.closest(`.${CODE_CLASS}__insert`)
    if (!button || !container.contains(button)) return
    const code = button.closest(`.${CODE_CLASS}`)?.querySelector('pre > code')
    if (!code) return
    // As Copy does: the code as written, hidden characters included (the block's note warned).
    onInsertCode(sourceText(code), languageOf(code))
  }
  container.addEventListener('click', onClick)
  return () => container.removeEventListener('click', onClick)
}

/** The language of a code element, from marked's `language-*` class. */
export function languageOf(code: Element): string {
  for (const name of code.classList) if (name.startsWith('language-')) return name.slice('language-'.length)
  return ''
}

/**
 * Handles the Copy buttons inside `container` with one delegated listener. Returns a function
 * that removes it.
 */
export function handleCopyButtons(container: HTMLElement, labels: RendererLabels = defaultRendererLabels): () => void {
  const timers = new Map<Element, ReturnType<typeof setTimeout>>()
  const onClick = (event: Event): void => {
    const target = event.target
    if (!(target instanceof Element)) return
    const button = target.closest(`.${CODE_CLASS}__copy`)
    if (!button || !container.contains(button)) return
    const code = button.closest(`.${CODE_CLASS}`)?.querySelector('pre > code')
    // Exactly the code as written, hidden characters included: the note on the block warned.
    const text = code ? sourceText(code) : ''
    const clipboard = globalThis.navigator?.clipboard
    const done = (label: string, name: string): void => {
      button.textContent = label
      button.setAttribute('aria-label', name)
      clearTimeout(timers.get(button))
      timers.set(
        button,
        setTimeout(() => {
          button.textContent = labels.copy
          button.setAttribute('aria-label', labels.copyCode)
          timers.delete(button)
        }, 2000),
      )
    }
    if (!clipboard) {
      done(labels.copyFailed, labels.copyFailed)
      return
    }
    clipboard.writeText(text).then(
      () => done(labels.copied, labels.codeCopied),
      () => done(labels.copyFailed, labels.copyFailed),
    )
  }
  container.addEventListener('click', onClick)
  return () => {
    container.removeEventListener('click', onClick)
    for (const timer of timers.values()) clearTimeout(timer)
  }
}

/**
 * Makes the nodes `current` (children of `parent`, at its end) look like `next`, reusing every
 * node whose position and tag still match. Returns the nodes now in place of `current`.
 */
export function morphNodes(parent: Node, current: readonly Node[], next: readonly Node[]): Node[] {
  const result: Node[] = []
  const shared = Math.min(current.length, next.length)
  for (let i = 0; i < shared; i++) result.push(morphNode(current[i]!, next[i]!))
  for (let i = shared; i < current.length; i++) current[i]!.parentNode?.removeChild(current[i]!)
  for (let i = shared; i < next.length; i++) {
    parent.appendChild(next[i]!)
    result.push(next[i]!)
  }
  return result
}

function morphNode(from: Node, to: Node): Node {
  if (from.nodeType !== to.nodeType || from.nodeName !== to.nodeName) {
    from.parentNode?.replaceChild(to, from)
    return to
  }
  if (from.nodeType === 3 || from.nodeType === 8) {
    if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue
    return from
  }
  if (from.nodeType !== 1) return from
  const a = from as Element
  const b = to as Element
  if (a.hasAttribute(KEEP_ATTRIBUTE) && b.hasAttribute(KEEP_ATTRIBUTE)) return from
  syncAttributes(a, b)
  morphChildren(a, b)
  return from
}

function syncAttributes(from: Element, to: Element): void {
  const target = to.attributes
  for (let i = 0; i < target.length; i++) {
    const { name, value } = target[i]!
    if (from.getAttribute(name) !== value) from.setAttribute(name, value)
  }
  const own = from.attributes
  for (let i = own.length - 1; i >= 0; i--) {
    const name = own[i]!.name
    if (!to.hasAttribute(name)) from.removeAttribute(name)
  }
}

function morphChildren(from: Element, to: Element): void {
  let a = from.firstChild
  let b = to.firstChild
  while (b) {
    const nextB: ChildNode | null = b.nextSibling
    if (a) {
      const nextA: ChildNode | null = a.nextSibling
      morphNode(a, b)
      a = nextA
    } else {
      from.appendChild(b)
    }
    b = nextB
  }
  while (a) {
    const nextA: ChildNode | null = a.nextSibling
    from.removeChild(a)
    a = nextA
  }
}

const TAG = /<[^<>]*>/g
const ESCAPED = /&(?:amp|lt|gt|quot|#39);/g
const ESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/** The tags of marked's HTML and the (decoded) text between them; null if it is not that simple. */
function splitHtml(html: string): { tags: string; texts: string[] } | null {
  let tags = ''
  const texts: string[] = []
  let last = 0
  for (const match of html.matchAll(TAG)) {
    texts.push(html.slice(last, match.index))
    tags += match[0]
    last = match.index + match[0].length
  }
  texts.push(html.slice(last))
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!
    if (text.includes('<') || text.includes('>')) return null
    if (!text.includes('&')) continue
    // marked escapes these five; any other entity is left to the HTML parser.
    if (text.replace(ESCAPED, '').includes('&')) return null
    texts[i] = text.replace(ESCAPED, (entity) => ESCAPES[entity]!)
  }
  return { tags, texts }
}

/** Text nodes that render markdown text, in order: not those of our own chrome (code header, Copy, decorations). */
function contentTextNodes(nodes: readonly Node[]): Text[] {
  const found: Text[] = []
  const visit = (node: Node): void => {
    if (node.nodeType === 3) {
      found.push(node as Text)
      return
    }
    if (node.nodeType !== 1) return
    const element = node as Element
    if (element.hasAttribute(KEEP_ATTRIBUTE) || element.hasAttribute(DECORATION_ATTRIBUTE) || element.classList.contains(`${CODE_CLASS}__header`)) return
    for (let child = element.firstChild; child; child = child.nextSibling) visit(child)
  }
  for (const node of nodes) visit(node)
  return found
}

/**
 * Brings `nodes` (rendered and sanitized from `oldHtml`) up to date with `newHtml` by changing
 * text nodes only, when the two have the very same tags and attributes. DOMPurify's verdict on
 * markup does not depend on the text around it, and a text node cannot carry markup, so no
 * sanitizing is needed. Returns false, changing nothing, unless every old text is found exactly
 * where it should be (`extended` may hold more: plain text was appended to it since), and when a
 * change would call for other decorations (link text, hidden characters).
 */
export function patchText(nodes: readonly Node[], oldHtml: string, newHtml: string, extended?: Text | null): boolean {
  const before = splitHtml(oldHtml)
  const after = splitHtml(newHtml)
  if (!before || !after || before.tags !== after.tags) return false
  const textNodes = contentTextNodes(nodes)
  const targets: Array<[Text, string]> = []
  let k = 0
  for (let i = 0; i < before.texts.length; i++) {
    const was = before.texts[i]!
    const now = after.texts[i]!
    // The parser makes no node of empty text: a text appearing or vanishing needs a render.
    if (!was || !now) {
      if (was !== now) return false
      continue
    }
    const node = textNodes[k++]
    if (!node || (node.data !== was && node !== extended)) return false
    if (was === now) continue
    // Decorations depend on these texts: a link's text decides whether its host is shown, and a
    // hidden character needs a marker. Those changes take the full path.
    if (hasHiddenCharacters(now) || node.parentElement?.closest('a')) return false
    targets.push([node, now])
  }
  if (k !== textNodes.length) return false
  for (const [node, text] of targets) node.data = text
  return true
}
