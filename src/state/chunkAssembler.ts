/**
 * Reassembles one streamed answer from chunks that may arrive out of order, twice, or after the
 * complete message. Only the unbroken run from chunk 1 is visible; later chunks wait for the gap.
 */
export class ChunkAssembler {
  /** The visible text: chunks 1..n with no gap. */
  text = ''
  /** Set once the complete message replaced the chunks; later chunks are ignored. */
  complete = false
  private nextChunkId = 1
  private readonly held = new Map<number, string>()

  /** @param maxHeldChunks - bound on chunks held behind a gap, so a hostile stream cannot grow memory without end */
  constructor(private readonly maxHeldChunks = 10_000) {}

  /** How many chunks the visible text is made of. */
  get chunks(): number {
    return this.nextChunkId - 1
  }

  /** Adds a chunk. Returns true when the visible text changed. */
  add(chunkId: number, content: string): boolean {
    if (this.complete || chunkId < this.nextChunkId || this.held.has(chunkId)) return false
    if (chunkId > this.nextChunkId) {
      if (this.held.size < this.maxHeldChunks) this.held.set(chunkId, content)
      return false
    }
    let text = content
    this.nextChunkId += 1
    for (let next = this.held.get(this.nextChunkId); next !== undefined; next = this.held.get(this.nextChunkId)) {
      this.held.delete(this.nextChunkId)
      text += next
      this.nextChunkId += 1
    }
    this.text += text
    return true
  }

  /** The complete message replaces whatever the chunks built. */
  finish(content: string): void {
    this.complete = true
    this.text = content
    this.held.clear()
  }
}
