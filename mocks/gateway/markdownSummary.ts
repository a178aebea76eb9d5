/**
 * Small text helpers the scripted model writes its answers with: they pick real sentences out
 * of fixtures instead of inventing text, which keeps answers grounded and deterministic.
 */

/** Markdown without emphasis, code spans and headings, on one line. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^#+\s*/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * The sentences of a text, keeping their final punctuation. A sentence ends at punctuation
 * followed by a space, so "Safari 17.3", ".gitlab-ci.yml" and "!1:" stay whole.
 */
export function sentences(text: string): string[] {
  return plainText(text)
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean)
}

/** The first `count` sentences of the first paragraph of a Markdown text. */
export function lead(markdown: string, count = 2): string {
  const firstParagraph = markdown.split(/\n\s*\n/).find((paragraph) => paragraph.trim() !== '') ?? ''
  return sentences(firstParagraph).slice(0, count).join(' ')
}

/** `text` cut at a word boundary to at most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`
}

/** Files and line counts of a unified diff. */
export interface DiffFileStat {
  path: string
  added: number
  removed: number
}

/** Counts added and removed lines per file of a unified diff. */
export function diffStats(diff: string): DiffFileStat[] {
  const files: DiffFileStat[] = []
  let current: DiffFileStat | undefined
  for (const line of diff.split('\n')) {
    const header = /^diff --git a\/\S+ b\/(\S+)/.exec(line)
    if (header?.[1]) {
      current = { path: header[1], added: 0, removed: 0 }
      files.push(current)
    } else if (current && line.startsWith('+') && !line.startsWith('+++')) {
      current.added += 1
    } else if (current && line.startsWith('-') && !line.startsWith('---')) {
      current.removed += 1
    }
  }
  return files
}

/** "1 comment" / "3 comments". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
