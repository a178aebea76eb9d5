import type { Token, Tokens } from 'marked'
import { lexBlocks, type LinkDefinitions } from './markdown'
import { repairTail } from './tailRepair'

/**
 * Where the finished blocks of `src` end: the start of the last top-level token that nothing
 * arriving later can merge back into the blocks before it. A boundary is safe before a token
 * that starts in column 0 with a complete first line, when a blank line precedes it or when it
 * is an ATX heading, a thematic break or a code fence (these interrupt any block). After a blank
 * line no lazy continuation exists, and a complete first line in column 0 that the lexer put in a
 * new block stays out of the lists, quotes and indented code before it.
 *
 * Returns the number of tokens before the boundary and the text length they cover.
 */
export function findStableBoundary(tokens: readonly Token[], src: string): { count: number; length: number } {
  let offset = 0
  const starts: number[] = []
  for (const token of tokens) {
    starts.push(offset)
    offset += token.raw.length
  }
  // Offsets we cannot trust (marked trimmed something): keep everything in the tail.
  if (offset !== src.length) return { count: 0, length: 0 }

  let best = { count: 0, length: 0 }
  for (let j = 1; j < tokens.length; j++) {
    const token = tokens[j]!
    if (token.type === 'space') continue
    const start = starts[j]!
    if (src.indexOf('\n', start) === -1) break // the first line is still being written
    const first = src.charCodeAt(start)
    if (first === 32 || first === 9) continue
    if (afterBlankLine(src, start) || interrupts(token, src[start]!)) best = { count: j, length: start }
  }
  return best
}

function afterBlankLine(src: string, start: number): boolean {
  let k = start - 1
  if (src[k] !== '\n') return false
  k--
  while (k >= 0 && (src[k] === ' ' || src[k] === '\t')) k--
  return k < 0 || src[k] === '\n'
}

function interrupts(token: Token, first: string): boolean {
  return (token.type === 'heading' && first === '#') || token.type === 'hr' || (token.type === 'code' && (first === '`' || first === '~'))
}

/** What one step of a stream produced. */
export interface BlockUpdate {
  /** The text changed in a way that is not an append: everything must be rendered anew. */
  reset: boolean
  /** Blocks that became finished with this step: render them once and keep them. */
  finished: Token[]
  /** The unfinished tail, already repaired for display (empty when final). */
  tail: Token[]
  /** Reference definitions became known that earlier finished blocks may use. */
  newLinks: string[]
}

/**
 * Splits a growing markdown text into finished blocks and an unfinished tail. Each step lexes
 * only the text after the last finished block, so a long answer costs about one parse in total.
 */
export class BlockStream {
  /** Normalized text of the finished blocks. */
  private committed = ''
  /** A final step happened: its last block may have ended early, so more text starts over. */
  private sealed = false
  private readonly links: LinkDefinitions = Object.create(null) as LinkDefinitions

  /** Text covered by finished blocks so far. */
  get committedLength(): number {
    return this.committed.length
  }

  /** Reference definitions from finished blocks. */
  get knownLinks(): LinkDefinitions {
    return this.links
  }

  /**
   * Advances to `text` (the whole answer so far). With `final`, everything is finished and the
   * tail is rendered as written, without repair.
   */
  advance(rawText: string, final = false): BlockUpdate {
    const text = rawText.includes('\r') ? rawText.replace(/\r\n?/g, '\n') : rawText
    let reset = false
    if ((this.sealed && !(final && text === this.committed)) || !this.continues(text, final)) {
      this.committed = ''
      for (const key of Object.keys(this.links)) delete this.links[key]
      reset = true
      this.sealed = false
    }
    const rest = text.slice(this.committed.length)
    const newLinks: string[] = []

    if (final) {
      const { tokens, links } = lexBlocks(rest, this.links)
      this.commit(rest, tokens, links, newLinks)
      this.sealed = true
      return { reset, finished: tokens, tail: [], newLinks }
    }

    const repaired = repairTail(rest)
    const { tokens, links } = lexBlocks(repaired, this.links)
    const boundary = findStableBoundary(tokens, repaired)
    // The repair only touches the last line, which lies past any boundary; check it anyway.
    if (boundary.count > 0 && repaired.slice(0, boundary.length) === rest.slice(0, boundary.length)) {
      const finished = tokens.slice(0, boundary.count)
      this.commit(rest.slice(0, boundary.length), finished, links, newLinks)
      return { reset, finished, tail: tokens.slice(boundary.count), newLinks }
    }
    return { reset, finished: [], tail: tokens, newLinks }
  }

  private continues(text: string, final: boolean): boolean {
    const n = this.committed.length
    if (text.length < n) return false
    if (final) return text.startsWith(this.committed)
    // Streams only append: comparing the end of the finished text catches a replaced answer.
    const from = Math.max(0, n - 64)
    return text.slice(from, n) === this.committed.slice(from)
  }

  private commit(raw: string, tokens: Token[], links: LinkDefinitions, newLinks: string[]): void {
    this.committed += raw
    for (const token of tokens) {
      if (token.type !== 'def') continue
      const tag = (token as Tokens.Def).tag
      if (!(tag in this.links) && links[tag]) {
        this.links[tag] = links[tag]!
        newLinks.push(tag)
      }
    }
  }
}
