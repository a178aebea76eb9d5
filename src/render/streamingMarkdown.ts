import type { Token } from 'marked'
import { BlockStream } from './blocks'
import { decorateCodeBlocks, decorateTables, handleCopyButtons, handleInsertCodeButtons, morphNodes, patchText, type InsertCodeHandler } from './dom'
import { rendererLabels, type RendererLabels } from './labels'
import { lexBlocks, renderTokens } from './markdown'
import { imageOrigins, sanitizeToFragment, type SanitizeOptions } from './sanitize'
import { DECORATION_ATTRIBUTE, decorateHiddenCharacters, decorateLinks, hasHiddenCharacters } from './spoofing'
import { buildTailBlock } from './tailDom'
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
  /** Strings the renderer writes into the DOM (Copy buttons, notes); English by default. */
  labels?: Partial<RendererLabels>
  /** Code blocks get an "Insert code" button that hands their code and language to this. @default none */
  onInsertCode?: InsertCodeHandler
  /**
   * Builds the unfinished tail from marked's tokens (./tailDom) rather than through DOMPurify.
   * Off only to measure what it saves. @default true
   */
  tailFromTokens?: boolean
}

/** A run of finished blocks rendered by one update; its nodes are never re-created. */
interface Group {
  tokens: Token[]
  raw: string
  nodes: Node[]
}

/** One top-level block of the unfinished tail, as last rendered. */
interface TailPart {
  /** Its source (after tail repair): the same source renders the same nodes. */
  raw: string
  /** What marked made of it, before sanitizing: the same HTML sanitizes to the same nodes. (null: render anew.) */
  html: string | null
  nodes: Node[]
  /** Its nodes came from DOMPurify (not built from tokens, see ./tailDom): a finished block keeps only such nodes. */
  purified: boolean
}

/**
 * Rendered blocks live in runs of this many top-level nodes (`<div class="duo-chat-blocks">`).
 * Appending to the last block makes the browser lay out the parent of that block again, which
 * steps over every sibling: in runs, it steps over one run per this many blocks. The drawer's
 * CSS also gives runs `content-visibility: auto`, so runs scrolled out of view skip layout and
 * paint, and a frame costs about the same at the end of a long answer as at its start. A run
 * is also what the browser paints again when the tail changes: 8 nodes (about four blocks)
 * paint a fifth less and layerize a third less per frame than 32, for a little more layout.
 */
export const RUN_SIZE = 8
export const RUN_CLASS = 'duo-chat-blocks'

/** One of our frame callbacks is running. */
let inFrame = false

const animationFrame: FrameScheduler = (callback) => {
  if (typeof requestAnimationFrame !== 'function') {
    const id = setTimeout(callback, 16)
    return () => clearTimeout(id)
  }
  let id = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const request = (): void => {
    timer = undefined
    id = requestAnimationFrame(() => {
      inFrame = true
      try {
        callback()
      } finally {
        inFrame = false
      }
    })
  }
  // Chromium charges 0.05-0.8 ms to request a frame from inside a frame callback, and 0.01 ms from
  // a task: the next frame is asked for in the task right after this one.
  if (inFrame) timer = setTimeout(request)
  else request()
  return () => {
    clearTimeout(timer)
    cancelAnimationFrame(id)
  }
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
  private tailParts: TailPart[] = []
  /** The container's children; the last one is open: new blocks and the tail go there. */
  private runs: HTMLElement[] = []
  /** Finished top-level nodes in the open run. */
  private openFinished = 0
  private pending: string | null = null
  private cancelFrame: (() => void) | null = null
  private readonly schedule: FrameScheduler
  private readonly stopListening: () => void
  private readonly labels: RendererLabels
  private destroyed = false
  /** Text currently on screen (final or repaired-tail view of it). */
  private shown = ''
  private finished = false
  /** Where plain text typed at the end of the tail can go straight into the DOM (see {@link append}). */
  private anchor: Anchor | null = null
  /** Text of the last full render (the fast path may have shown more since). */
  private shownAtRender = ''
  /** The DOM was updated since the last animation frame. */
  private updatedThisFrame = false

  constructor(
    private readonly container: HTMLElement,
    private readonly options: StreamingMarkdownOptions = {},
  ) {
    this.schedule = options.schedule ?? animationFrame
    this.labels = rendererLabels(options.labels)
    const stopCopy = handleCopyButtons(container, this.labels)
    const stopInsert = options.onInsertCode ? handleInsertCodeButtons(container, options.onInsertCode) : null
    this.stopListening = () => {
      stopCopy()
      stopInsert?.()
    }
  }

  /**
   * The answer so far. After an idle frame it is shown at once; while updates keep coming they
   * are batched, one DOM update per animation frame.
   */
  update(text: string): void {
    if (this.destroyed) return
    if (this.finished && text === this.shown) return
    this.finished = false
    // Plain text that only extends the last text node costs next to nothing: show it now
    // rather than a frame later. (No layout is read, so the browser still lays out once a frame.)
    if (this.append(text)) {
      this.pending = null
      this.shown = text
      this.options.onRender?.()
    } else {
      this.pending = text
      if (!this.updatedThisFrame) this.flush()
    }
    this.updatedThisFrame = true
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
    this.stopListening()
  }

  /** Renders `text` in full; {@link update} has already tried the fast path on it. */
  private apply(text: string, final: boolean): void {
    // The text node the fast path extended since the last render, if it did.
    const extended = this.anchor && this.anchor.source !== this.shownAtRender ? this.anchor.node : null
    this.anchor = null
    const update = this.stream.advance(text, final)
    if (update.reset) {
      this.container.replaceChildren()
      this.groups = []
      this.tailParts = []
      this.runs = []
      this.openFinished = 0
    }
    if (update.newLinks.length) {
      this.relink()
      // The tail may use the new definitions too: render it anew.
      this.tailParts = this.tailParts.map((part) => ({ raw: '', html: null, nodes: part.nodes, purified: part.purified }))
    }

    // Blocks that render as they did last time keep their nodes as they are (blocks that just
    // finished mostly do, and so does a block whose new text tail repair holds back): only the
    // rest is sanitized and morphed.
    const tokens = [...update.finished, ...update.tail]
    const finishedCount = update.finished.length
    const old = this.tailParts
    const keptParts: TailPart[] = []
    let changedHtml: string | null = null
    while (keptParts.length < tokens.length && keptParts.length < old.length) {
      const token = tokens[keptParts.length]!
      const part = old[keptParts.length]!
      // A block that just finished keeps its nodes only if DOMPurify made them: one built from
      // tokens while it was the tail is sanitized now, and morphed into place.
      const keepable = part.purified || keptParts.length >= finishedCount
      if (token.raw === part.raw && keepable) {
        keptParts.push(part)
        continue
      }
      const html = renderTokens([token])
      // Same markup with other text (a word more in a list item, a table cell, bold text): the
      // elements stay as they are and only their text nodes change.
      if (keepable && ((html === part.html && !extended) || (part.html !== null && patchText(part.nodes, part.html, html, extended)))) {
        keptParts.push({ raw: token.raw, html, nodes: part.nodes, purified: part.purified })
        continue
      }
      changedHtml = html
      break
    }
    const kept = keptParts.length

    // Finished blocks are sanitized by DOMPurify; the unfinished tail is built from its tokens
    // where ./tailDom can mirror DOMPurify's result exactly.
    const pieces: string[] = []
    const tailTokens: Array<Token | null> = []
    if (kept < finishedCount) {
      pieces.push(finishedCount - kept === 1 && changedHtml !== null ? changedHtml : renderTokens(update.finished.slice(kept)))
      tailTokens.push(null)
    }
    for (let i = Math.max(kept, finishedCount); i < tokens.length; i++) {
      pieces.push(i === kept && changedHtml !== null ? changedHtml : renderTokens([tokens[i]!]))
      tailTokens.push(final ? null : tokens[i]!)
    }
    const purified: boolean[] = []
    const rendered = pieces.map((html, i) => {
      const built = tailTokens[i] && this.options.tailFromTokens !== false ? this.tailNodes(html, tailTokens[i]!) : null
      purified.push(!built)
      return built ?? this.toNodes(html)
    })
    const stale = old.slice(kept).flatMap((part) => part.nodes)
    // What changed is morphed, not replaced: a block being written keeps its nodes.
    const placed = morphNodes(this.openRun(), stale, rendered.flat())

    const pieceNodes: Node[][] = []
    let offset = 0
    for (const nodes of rendered) {
      pieceNodes.push(placed.slice(offset, offset + nodes.length))
      offset += nodes.length
    }
    const keptFinished = keptParts.slice(0, finishedCount).flatMap((part) => part.nodes)
    const newlyRendered = kept < finishedCount ? pieceNodes.shift()! : []
    let piece = kept < finishedCount ? 1 : 0
    const tailParts = keptParts.slice(finishedCount)
    for (let i = Math.max(kept, finishedCount); i < tokens.length; i++) tailParts.push({ raw: tokens[i]!.raw, html: pieces[piece]!, nodes: pieceNodes.shift()!, purified: purified[piece++]! })
    this.tailParts = tailParts

    if (finishedCount) {
      const nodes = [...keptFinished, ...newlyRendered]
      this.groups.push({ tokens: update.finished, raw: update.finished.map((t) => t.raw).join(''), nodes })
      this.seal(nodes)
      if (this.options.highlight) void this.highlight(nodes)
    }
    this.shown = text
    this.shownAtRender = text
    if (!final) this.anchor = findAnchor(text, text.slice(this.stream.committedLength), this.tail)
    this.options.onRender?.()
  }

  private get tail(): Node[] {
    return this.tailParts.flatMap((part) => part.nodes)
  }

  private openRun(): HTMLElement {
    const last = this.runs.at(-1)
    if (last) return last
    return this.newRun()
  }

  private newRun(): HTMLElement {
    const run = this.container.ownerDocument.createElement('div')
    run.className = RUN_CLASS
    this.container.appendChild(run)
    this.runs.push(run)
    this.openFinished = 0
    return run
  }

  /**
   * Counts newly finished nodes (in order, at the end of the open run, before the tail) into
   * runs of {@link RUN_SIZE}; those past the open run's room move on to new runs, the tail with
   * them. Only blocks that have just finished ever move, and a run holds the same blocks however
   * the answer was chunked.
   */
  private seal(finished: readonly Node[]): void {
    const room = Math.min(finished.length, Math.max(0, RUN_SIZE - this.openFinished))
    this.openFinished += room
    if (room === finished.length) return
    this.addRuns(finished.slice(room))
    this.openRun().append(...this.tail)
  }

  /** Puts finished nodes into new runs of {@link RUN_SIZE}, the last one left open. */
  private addRuns(nodes: readonly Node[]): void {
    for (let i = 0; i < nodes.length; i += RUN_SIZE) {
      const run = nodes.slice(i, i + RUN_SIZE)
      this.newRun().append(...run)
      this.openFinished = run.length
    }
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
    // Blank lines and definitions render nothing: no need to ask DOMPurify.
    if (!html) return []
    return this.decorate(sanitizeToFragment(html, this.options), html)
  }

  /** An unfinished block built from its tokens (./tailDom), or null where DOMPurify must render it. */
  private tailNodes(html: string, token: Token): Node[] | null {
    if (!html) return []
    const fragment = buildTailBlock(token, this.container.ownerDocument, { allowedImageOrigins: imageOrigins(this.options) })
    return fragment ? this.decorate(fragment, html) : null
  }

  private decorate(fragment: DocumentFragment, html: string): Node[] {
    // Every render goes through here (tail, finished blocks, a late definition), so a block's
    // decorations are the same however it was streamed.
    if (html.includes('<code') && hasHiddenCharacters(html)) decorateHiddenCharacters(fragment, this.labels)
    if (html.includes('<pre')) decorateCodeBlocks(fragment, this.labels, { insertCode: !!this.options.onInsertCode })
    if (html.includes('<table')) decorateTables(fragment, this.labels)
    if (html.includes('<a')) decorateLinks(fragment, this.labels)
    return [...fragment.childNodes]
  }

  /** New reference definitions arrived: re-render the finished blocks that may use them. */
  private relink(): void {
    const links = this.stream.knownLinks
    let changed = false
    for (const group of this.groups) {
      if (!group.raw.includes('[')) continue
      const { tokens } = lexBlocks(group.raw, links)
      for (const node of group.nodes) node.parentNode?.removeChild(node)
      group.tokens = tokens
      group.nodes = this.toNodes(renderTokens(tokens))
      changed = true
    }
    if (!changed) return
    // Rare (a definition after its first use): lay the runs out again from the start.
    const tail = this.tail
    const finished = this.groups.flatMap((group) => group.nodes)
    this.container.replaceChildren()
    this.runs = []
    this.addRuns(finished)
    this.openRun().append(...tail)
  }

  private async highlight(nodes: Node[]): Promise<void> {
    const codes: Element[] = []
    for (const node of nodes) if (node instanceof Element) codes.push(...node.querySelectorAll('pre > code'))
    if (!codes.length) return
    const { highlightElement } = await import('./highlight')
    for (const code of codes) if (this.container.contains(code)) highlightElement(code, this.labels)
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
/**
 * Code in a top-level fence: anything without backticks or tildes, new lines included, and
 * without the hidden characters that need a marker.
 */
const CODE_APPEND = /^[^`~\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]+$/
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
  if (node.nodeType !== 1 || (node as Element).hasAttribute('data-duo-keep') || (node as Element).hasAttribute(DECORATION_ATTRIBUTE)) return null
  for (let child = node.lastChild; child; child = child.previousSibling) {
    const found = deepestText(child)
    if (found) return found
  }
  return null
}

/** Where {@link StreamingMarkdown.append} may add text after a full render, if anywhere. */
function findAnchor(text: string, tailSource: string, tail: readonly Node[]): Anchor | null {
  const node = lastTextNode(tail)
  // A link's text decides whether its host is shown beside it: it changes by the full path only.
  if (!node || !text || node.parentElement?.closest('a')) return null
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
