import type { Token } from 'marked'
import { BlockStream } from './blocks'
import { decorateCodeBlocks, handleCopyButtons, morphNodes } from './dom'
import { lexBlocks, renderTokens } from './markdown'
import { sanitizeToFragment, type SanitizeOptions } from './sanitize'
import { openFence } from './tailRepair'

/** Schedules `callback` for the next frame; returns a function that cancels it. */
export type FrameScheduler = (callback: () => void) => () => void

export interface StreamingMarkdownOptions extends SanitizeOptions {
  /** @default requestAnimationFrame (a macrotask where there is none) */
  schedule?: FrameScheduler
  /** Called after every DOM update, e.g. to keep the view scrolled to the end. */
  onRender?: () => void
  /**
   * Highlights finished code blocks, loading the highlighter on first use (it is not in the
   * main bundle). @default false
   */
  highlight?: boolean
}

/** A run of finished blocks rendered by one update; its nodes are never re-created. */
interface Group {
  tokens: Token[]
  raw: string
  nodes: Node[]
}

const animationFrame: FrameScheduler = (callback) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => callback())
    return () => cancelAnimationFrame(id)
  }
  const id = setTimeout(callback, 16)
  return () => clearTimeout(id)
}

/**
 * Renders a streamed markdown answer into `container`, incrementally:
 *
 * - marked splits the text into blocks; finished blocks are rendered and sanitized once, and
 *   their DOM nodes are kept (no flicker, a selection in them survives);
 * - only the unfinished tail is re-lexed and re-rendered, after {@link repairTail} made its open
 *   syntax display sensibly; the tail's nodes are morphed in place, not replaced;
 * - updates are batched to one per animation frame (the first after an idle frame shows at once);
 *   {@link finish} renders at once.
 *
 * Every piece of HTML goes through DOMPurify before it reaches the DOM. Knows no framework.
 */
export class StreamingMarkdown {
  private readonly stream = new BlockStream()
  private groups: Group[] = []
  private tail: Node[] = []
  private pending: string | null = null
  private cancelFrame: (() => void) | null = null
  private readonly schedule: FrameScheduler
  private readonly stopCopy: () => void
  private destroyed = false
  /** Text currently on screen (final or repaired-tail view of it). */
  private shown = ''
  private finished = false
  /** Where plain text typed at the end of the tail can go straight into the DOM (see {@link append}). */
  private anchor: Anchor | null = null
  /** The DOM was updated since the last animation frame. */
  private updatedThisFrame = false

  constructor(
    private readonly container: HTMLElement,
    private readonly options: StreamingMarkdownOptions = {},
  ) {
    this.schedule = options.schedule ?? animationFrame
    this.stopCopy = handleCopyButtons(container)
  }

  /**
   * The answer so far. After an idle frame it is shown at once; while updates keep coming they
   * are batched, one DOM update per animation frame.
   */
  update(text: string): void {
    if (this.destroyed) return
    if (this.finished && text === this.shown) return
    this.finished = false
    this.pending = text
    if (!this.updatedThisFrame) {
      this.flush()
      this.updatedThisFrame = true
    }
    this.cancelFrame ??= this.schedule(() => this.onFrame())
  }

  private onFrame(): void {
    this.cancelFrame = null
    if (this.pending === null) {
      // A frame went by with nothing to show: the next update may go straight to the DOM.
      this.updatedThisFrame = false
      return
    }
    this.flush()
    // Keep the clock running one more frame, so that two updates never share a frame.
    this.updatedThisFrame = true
    this.cancelFrame = this.schedule(() => this.onFrame())
  }

  /** The complete answer: rendered at once, in full, with nothing left unfinished. */
  finish(text: string): void {
    if (this.destroyed) return
    this.cancelFrame?.()
    this.cancelFrame = null
    this.pending = null
    this.updatedThisFrame = false
    if (this.finished && text === this.shown) return
    this.apply(text, true)
    this.finished = true
  }

  /** Renders any pending update now. */
  flush(): void {
    if (this.destroyed || this.pending === null) return
    const text = this.pending
    this.pending = null
    this.apply(text, false)
  }

  /** Whether an update waits for the next frame. */
  get hasPendingUpdate(): boolean {
    return this.pending !== null
  }

  destroy(): void {
    this.destroyed = true
    this.cancelFrame?.()
    this.cancelFrame = null
    this.stopCopy()
  }

  private apply(text: string, final: boolean): void {
    if (!final && this.append(text)) {
      this.shown = text
      this.options.onRender?.()
      return
    }
    this.anchor = null
    const update = this.stream.advance(text, final)
    if (update.reset) {
      this.container.replaceChildren()
      this.groups = []
      this.tail = []
    }
    if (update.newLinks.length) this.relink()

    const finishedCount = update.finished.length
    const finishedHtml = finishedCount ? renderTokens(update.finished) : ''
    const tailHtml = update.tail.length ? renderTokens(update.tail) : ''
    const finishedNodes = finishedHtml ? this.toNodes(finishedHtml) : []
    const tailNodes = tailHtml ? this.toNodes(tailHtml) : []

    // The blocks that just finished were (mostly) the tail's first nodes: morph, don't replace.
    const placed = morphNodes(this.container, this.tail, [...finishedNodes, ...tailNodes])
    if (finishedCount) {
      const nodes = placed.slice(0, finishedNodes.length)
      this.groups.push({ tokens: update.finished, raw: update.finished.map((t) => t.raw).join(''), nodes })
      if (this.options.highlight) void this.highlight(nodes)
    }
    this.tail = placed.slice(finishedNodes.length)
    this.shown = text
    if (!final) this.anchor = findAnchor(text, text.slice(this.stream.committedLength), this.tail)
    this.options.onRender?.()
  }

  /**
   * The fast path: when all that arrived since the last render is plain prose (letters, digits,
   * spaces, ordinary punctuation, new lines that start with a letter inside a paragraph) or, in
   * an open code fence, anything without backticks and tildes, it can only extend the last text
   * node, so it goes there directly: no lexing, no parsing, no sanitizing (a text node cannot
   * carry markup). Anything else (markup characters, a new block, brackets, URLs) takes the full
   * path. The streaming tests check that both paths show the same DOM.
   */
  private append(text: string): boolean {
    const anchor = this.anchor
    if (!anchor || (!anchor.node.isConnected && this.container.isConnected)) return false
    if (text.length <= anchor.end || !sameEnd(text, anchor.source, anchor.end)) return false
    const added = text.slice(anchor.end)
    if (anchor.code) {
      if (!CODE_APPEND.test(added) || (!anchor.topLevel && added.includes('\n'))) return false
      // marked shows an open fence's code with exactly one final new line, whether or not the
      // source ends with one: keep the source's own new line, or replace the one marked added.
      const data = anchor.node.data
      const base = anchor.source.endsWith('\n') ? data : data.slice(0, -1)
      anchor.node.data = base + added + (added.endsWith('\n') ? '' : '\n')
      anchor.end = text.length
    } else {
      if (!TEXT_APPEND.test(added.replaceAll('\n', ' ')) || !safeLine(text)) return false
      if (added.includes('\n') && !(anchor.prose && softBreaksOnly(text, anchor.end))) return false
      const visible = added.trimEnd()
      if (visible) anchor.node.appendData(visible)
      anchor.end += visible.length
    }
    anchor.source = text
    return true
  }

  private toNodes(html: string): Node[] {
    const fragment = sanitizeToFragment(html, this.options)
    if (html.includes('<pre')) decorateCodeBlocks(fragment)
    return [...fragment.childNodes]
  }

  /** New reference definitions arrived: re-render the finished blocks that may use them. */
  private relink(): void {
    const links = this.stream.knownLinks
    this.groups.forEach((group, index) => {
      if (!group.raw.includes('[')) return
      const { tokens } = lexBlocks(group.raw, links)
      const nodes = this.toNodes(renderTokens(tokens))
      const anchor = this.groups.slice(index + 1).find((g) => g.nodes.length)?.nodes[0] ?? this.tail[0] ?? null
      for (const node of group.nodes) node.parentNode?.removeChild(node)
      for (const node of nodes) this.container.insertBefore(node, anchor)
      group.tokens = tokens
      group.nodes = nodes
    })
  }

  private async highlight(nodes: Node[]): Promise<void> {
    const codes: Element[] = []
    for (const node of nodes) if (node instanceof Element) codes.push(...node.querySelectorAll('pre > code'))
    if (!codes.length) return
    const { highlightElement } = await import('./highlight')
    for (const code of codes) if (this.container.contains(code)) highlightElement(code)
  }
}

/** The last text node of the tail and how much of the source it shows. */
interface Anchor {
  node: Text
  /** Source text as of the last render. */
  source: string
  /** Length of the source the DOM reflects (trailing spaces of prose are not shown yet). */
  end: number
  /** The node is the text of an open code block. */
  code: boolean
  /** ...of a fence in column 0, whose lines are the code as written. */
  topLevel: boolean
  /** The node is paragraph text, which a line starting with a letter continues. */
  prose: boolean
}

/**
 * Prose characters that mean nothing to markdown in the middle of a line. (Brackets, `<`, `&`,
 * `@` and URLs are kept out by {@link safeLine}; emphasis, code, pipes and `#` by this list.)
 */
const TEXT_APPEND = /^[\p{L}\p{N} ,.;:!?'"()/=+%$^{}-]+$/u
/** Code in a top-level fence: anything without backticks or tildes, new lines included. */
const CODE_APPEND = /^[^`~]+$/
/** A character after which plain text cannot change what came before (not a delimiter). */
const PLAIN_END = /[^\s*_~`<>&[\]\\|#]/u
const PLAIN_RUN = /[^\s*_~`<>&[\]\\|#]{1,8}$/u

/**
 * Every new line in `text` after `from` is a soft break inside the paragraph: the line before it
 * ends in a word (two spaces would make a hard break) and the new line starts with a letter,
 * which no block syntax does, so it continues the paragraph (lazily, in a list or a quote).
 */
function softBreaksOnly(text: string, from: number): boolean {
  for (let i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i + 1 >= text.length || !/\p{L}/u.test(text[i + 1]!) || /\s/.test(text[i - 1] ?? ' ')) return false
    // The finished line must hold nothing a later character could turn into a link.
    const line = text.slice(text.lastIndexOf('\n', i - 1) + 1, i)
    if (/[\[\]<>&\\@]|:\/\/|www\./i.test(line)) return false
  }
  return true
}

function sameEnd(text: string, source: string, end: number): boolean {
  const from = Math.max(0, end - 32)
  return text.slice(from, end) === source.slice(from, end)
}

/** The line being written holds nothing that more plain text could turn into a link or markup. */
function safeLine(text: string): boolean {
  const line = text.slice(text.lastIndexOf('\n') + 1)
  return !/[\[\]<>&\\@]|:\/\/|www\./i.test(line)
}

function lastTextNode(nodes: readonly Node[]): Text | null {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const found = deepestText(nodes[i]!)
    if (found) return found
  }
  return null
}

function deepestText(node: Node): Text | null {
  if (node.nodeType === 3) return /\S/.test(node.nodeValue ?? '') ? (node as Text) : null
  if (node.nodeType !== 1 || (node as Element).hasAttribute('data-duo-keep')) return null
  for (let child = node.lastChild; child; child = child.previousSibling) {
    const found = deepestText(child)
    if (found) return found
  }
  return null
}

/** Where {@link StreamingMarkdown.append} may add text after a full render, if anywhere. */
function findAnchor(text: string, tailSource: string, tail: readonly Node[]): Anchor | null {
  const node = lastTextNode(tail)
  if (!node || !text) return null
  const last = text[text.length - 1]!
  const code = node.parentElement?.tagName === 'CODE' && node.parentElement.parentElement?.tagName === 'PRE'
  const line = text.slice(text.lastIndexOf('\n') + 1)
  if (code) {
    // The code element's text ends with the line being written plus marked's newline.
    if (!line || !node.data.endsWith(`${line}\n`)) return null
    const figure = node.parentElement!.parentElement!.parentElement
    const topLevel = tail.includes(figure as Node) && openFence(tailSource) !== null
    return { node, source: text, end: text.length, code: true, topLevel, prose: false }
  }
  // A line without letters may be markup still held back (`1.`, `---`): no shortcut there.
  if (!PLAIN_END.test(last) || !/\p{L}/u.test(line) || !safeLine(text)) return null
  // The DOM must end with what the source ends with: then the next plain words belong there.
  const word = PLAIN_RUN.exec(text)?.[0] ?? ''
  if (!word || !node.data.endsWith(word)) return null
  const parent = node.parentElement?.tagName
  return { node, source: text, end: text.length, code: false, topLevel: false, prose: parent === 'P' || parent === 'LI' }
}

/** Renders a whole markdown text into `container` at once (history, one-shot rendering). */
export function renderMarkdownInto(container: HTMLElement, markdown: string, options: StreamingMarkdownOptions = {}): StreamingMarkdown {
  const view = new StreamingMarkdown(container, options)
  view.finish(markdown)
  return view
}
