// Everything the markdown renderer needs (marked, DOMPurify, the renderer itself), as one module
// that ./renderer.ts loads on demand: a host's first load carries none of it.
export { StreamingMarkdown } from '../render/streamingMarkdown'
export { configureSanitizer } from '../render/sanitize'
