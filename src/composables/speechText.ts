/**
 * An answer's Markdown as a speech synthesizer should say it: no markup, link text without its
 * URL, and each code block replaced by a short announcement instead of being spelled out.
 */
export function markdownToSpeech(markdown: string, codeBlockSkipped: string): string {
  return (
    markdown
      // Fenced code blocks (``` or ~~~), closed or running to the end.
      .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[ \t]*$|(?![\s\S]))/gm, `\n${codeBlockSkipped}\n`)
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, ' ')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/^ {0,3}#{1,6}[ \t]+/gm, '')
      .replace(/^ {0,3}>[ \t]?/gm, '')
      .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gm, '')
      .replace(/^[ \t]*\|?[ \t:-]*-{3,}[ \t:|-]*$/gm, '')
      .replace(/\|/g, ' ')
      .replace(/(\*\*|__|\*|_|~~)(?=\S)([^*_~\n]+?)(?<=\S)\1/g, '$2')
      .replace(/[ \t]+/g, ' ')
      .replace(/^ | $/gm, '')
      .replace(/\n{2,}/g, '\n')
      .trim()
  )
}
