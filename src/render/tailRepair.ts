/**
 * Tail repair: makes the unfinished end of a streamed answer display sensibly *now*, instead of
 * flashing raw markup until the closing syntax arrives. It only ever changes the last, incomplete
 * line, so the blocks before it lex exactly as they will in the final text.
 *
 * - a line of markup only (`-`, `1.`, `#`, `>`, `**`, a half code fence) waits for its content,
 *   so a paragraph never flashes into a heading or a list item into a rule;
 * - a code fence whose opening line is incomplete waits for its language; inside an open fence a
 *   half closing fence waits too (the code itself shows at once: marked renders an open fence);
 * - a half table delimiter row under a header row is completed, so the table shows at once;
 * - unclosed `` ` ``, `**`, `*`, `__`, `_`, `~~` are closed, a dangling delimiter at the very end
 *   is dropped;
 * - a half link `[text](http://exa` shows as its text; a half image shows nothing.
 */
export function repairTail(text: string): string {
  const lineStart = text.lastIndexOf('\n') + 1
  const line = text.slice(lineStart)
  if (!line) return text
  const head = text.slice(0, lineStart)
  const fence = openFence(head)

  if (fence) {
    // Inside code: hold back what may become the closing fence.
    const trimmed = line.trimStart()
    if (line.length - trimmed.length <= 3 && trimmed.length > 0 && [...trimmed.trimEnd()].every((c) => c === fence[0])) return head
    return text
  }
  if (FENCE_OPEN.test(line)) return head
  if (isDelimiterRowStart(line)) {
    const header = previousLine(head)
    const above = header === null ? null : previousLine(head.slice(0, head.length - header.length - 1))
    // Only under a header row that starts its block: inside a table this is a data row.
    const cells = header === null || (above !== null && above.includes('|')) ? 0 : tableCells(header)
    if (cells > 0) return head + delimiterRow(cells)
  }
  if (MARKUP_ONLY.test(line)) return head
  return head + repairInline(line)
}

const FENCE_OPEN = /^ {0,3}(?:`{3,}|~{3,})/
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/
/** A line with no content yet: list markers, heading hashes, quote marks, emphasis, rules, pipes. */
const MARKUP_ONLY = /^(?:[-+*=_#>|:~`!\[\]() \t]|\d{1,9}[.)])*\d{0,9}$/

/** The marker of the fence left open at the end of `text`, if any. */
export function openFence(text: string): string | null {
  let open: string | null = null
  let from = 0
  while (from < text.length) {
    const end = text.indexOf('\n', from)
    const line = text.slice(from, end === -1 ? text.length : end)
    from = end === -1 ? text.length : end + 1
    const m = FENCE_LINE.exec(line)
    if (!m) continue
    const marker = m[1]!
    if (open === null) {
      // A backtick fence's info string may not contain backticks.
      if (marker[0] === '`' && m[2]!.includes('`')) continue
      open = marker
    } else if (marker[0] === open[0] && marker.length >= open.length && m[2]!.trim() === '') {
      open = null
    }
  }
  return open
}

function previousLine(head: string): string | null {
  if (!head.endsWith('\n')) return null
  const start = head.lastIndexOf('\n', head.length - 2) + 1
  return head.slice(start, head.length - 1)
}

function isDelimiterRowStart(line: string): boolean {
  return /^ {0,3}\|?[ \t]*:?-[-:| \t]*$/.test(line) || /^ {0,3}\|[ \t]*:?$/.test(line)
}

function tableCells(header: string): number {
  const trimmed = header.trim()
  if (!trimmed.includes('|')) return 0
  const inner = trimmed.replace(/^\|/, '').replace(/(?<!\\)\|$/, '')
  return inner.split(/(?<!\\)\|/).length
}

function delimiterRow(cells: number): string {
  return `|${' --- |'.repeat(cells)}`
}

interface Delimiter {
  char: string
  length: number
  index: number
}

const WHITESPACE = /\s/
const WORD = /[\p{L}\p{N}]/u

/** Closes what the last line left open; see {@link repairTail}. */
export function repairInline(line: string): string {
  let out = line
  // A half link or image at the very end: show the link text, hide the image.
  out = out.replace(/(!?)\[([^\[\]\n]*)\]\([^)\s]*$/, (_m, bang: string, label: string) => (bang ? '' : label))
  out = out.replace(/!\[[^\[\]\n]*$/, '')

  // Code spans: an odd backtick run left open is closed; emphasis inside code is not markup.
  const stack: Delimiter[] = []
  let openCode: string | null = null
  let i = 0
  while (i < out.length) {
    const c = out[i]!
    if (c === '\\') {
      i += 2
      continue
    }
    if (c === '`') {
      let j = i
      while (out[j] === '`') j++
      const run = out.slice(i, j)
      if (openCode === null) openCode = run
      else if (run === openCode) openCode = null
      i = j
      continue
    }
    if (openCode === null && (c === '*' || c === '_' || c === '~')) {
      let j = i
      while (out[j] === c) j++
      const length = j - i
      const before = i > 0 ? out[i - 1]! : ''
      const after = j < out.length ? out[j]! : ''
      let canOpen = after !== '' && !WHITESPACE.test(after)
      let canClose = before !== '' && !WHITESPACE.test(before)
      if (c === '_') {
        canOpen &&= !WORD.test(before)
        canClose &&= !WORD.test(after)
      }
      if (c === '~' && length < 2) {
        canOpen = canClose = false
      }
      const top = stack.at(-1)
      if (canClose && top && top.char === c) stack.pop()
      else if (canOpen) stack.push({ char: c, length: Math.min(length, 3), index: i })
      else if (after === '' && !canClose) {
        // A dangling delimiter at the very end, e.g. "text **": it opens nothing yet.
        out = out.slice(0, i)
        break
      }
      i = j
      continue
    }
    i++
  }
  if (openCode !== null) return out + openCode
  if (!stack.length) return out
  out = out.trimEnd()
  // Nothing inside the opener yet ("**" then the end): drop it rather than render "****".
  while (stack.length && stack.at(-1)!.index + stack.at(-1)!.length >= out.length) {
    const top = stack.pop()!
    out = out.slice(0, top.index).trimEnd()
  }
  for (let k = stack.length - 1; k >= 0; k--) {
    const d = stack[k]!
    out += d.char === '~' ? '~~' : d.char.repeat(d.length)
  }
  return out
}
