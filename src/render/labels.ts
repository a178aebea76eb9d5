/**
 * Every string the markdown renderer writes into the DOM (text, `aria-label`, `title`), in
 * English. Pass `labels` to `StreamingMarkdown` (or `renderMarkdownInto`) to replace any of them;
 * labels that take an argument are functions.
 */
export interface RendererLabels {
  /** A code block's header when the block names no language. */
  codeWithoutLanguage: string
  /** Text of a code block's Copy button. */
  copy: string
  /** Accessible name of a code block's Copy button (the answer may have a Copy of its own). */
  copyCode: string
  /** The Copy button's text for a moment after the code was copied. */
  copied: string
  /** The Copy button's accessible name for a moment after the code was copied. */
  codeCopied: string
  /** The Copy button's text and name when the clipboard refused. */
  copyFailed: string
  /** Text and name of a code block's button that hands the code to the host (shown when the host takes it). */
  insertCode: string
  /** Name of the region around a table, which scrolls sideways when the table is wider than the answer. */
  table: string
  /**
   * Shown beside a link whose text looks like the address of another site, or whose host is an
   * internationalized (look-alike) name: the host it really goes to, in ASCII (punycode).
   */
  linkDestination: (host: string) => string
  /** Title of the marker shown in place of a hidden character in code, e.g. `U+202E`. */
  hiddenCharacter: (codePoint: string) => string
  /** Note on a code block that holds hidden (bidirectional or zero-width) characters. */
  hiddenCharactersNote: string
}

export const defaultRendererLabels: RendererLabels = {
  codeWithoutLanguage: 'code',
  copy: 'Copy',
  copyCode: 'Copy code',
  copied: 'Copied',
  codeCopied: 'Code copied',
  copyFailed: 'Copy failed',
  insertCode: 'Insert code',
  table: 'Table',
  linkDestination: (host) => `(${host})`,
  hiddenCharacter: (codePoint) => `Hidden character ${codePoint}`,
  hiddenCharactersNote:
    'This code contains hidden Unicode characters (marked) that can make it read differently from how it runs. Copy copies them as they are.',
}

/** The defaults with `labels` laid over them. */
export function rendererLabels(labels?: Partial<RendererLabels>): RendererLabels {
  return labels ? { ...defaultRendererLabels, ...labels } : defaultRendererLabels
}
