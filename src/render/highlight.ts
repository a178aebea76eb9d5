/**
 * A small syntax highlighter for finished code blocks. It is imported lazily (`import()`), so it
 * stays out of the main bundle and costs nothing until an answer has code. It recognizes
 * comments, strings, numbers and keywords of the languages models write most; anything else
 * stays plain text. Output is built with text nodes and class names only, never HTML.
 */
import { defaultRendererLabels, type RendererLabels } from './labels'
import { hasHiddenCharacters, markHiddenCharacters, sourceText } from './spoofing'

interface Grammar {
  comment: RegExp[]
  keywords: Set<string>
}

const C_LIKE_COMMENTS = [/\/\/[^\n]*/y, /\/\*[\s\S]*?(?:\*\/|$)/y]
const HASH_COMMENTS = [/#[^\n]*/y]

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/))
}

const JS = words(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for from function if implements import in instanceof interface let new null of private protected public readonly return static super switch this throw true try type typeof undefined var void while with yield async as',
)
const grammars: Record<string, Grammar> = {
  js: { comment: C_LIKE_COMMENTS, keywords: JS },
  ts: { comment: C_LIKE_COMMENTS, keywords: JS },
  python: { comment: HASH_COMMENTS, keywords: words('and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return self True try while with yield') },
  ruby: { comment: HASH_COMMENTS, keywords: words('alias and begin break case class def defined? do else elsif end ensure false for if in module next nil not or redo rescue retry return self super then true undef unless until when while yield require attr_reader attr_accessor') },
  go: { comment: C_LIKE_COMMENTS, keywords: words('break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false') },
  java: { comment: C_LIKE_COMMENTS, keywords: words('abstract boolean break byte case catch char class const continue default do double else enum extends final finally float for if implements import instanceof int interface long new null package private protected public return short static super switch this throw throws true false try void volatile while') },
  shell: { comment: HASH_COMMENTS, keywords: words('if then else elif fi for while until do done case esac function in return export local set unset echo cd') },
  sql: { comment: [/--[^\n]*/y], keywords: words('select from where and or not insert into values update set delete create table alter drop index join left right inner outer on group by order having limit as null is in like distinct union all SELECT FROM WHERE AND OR NOT INSERT INTO VALUES UPDATE SET DELETE CREATE TABLE ALTER DROP INDEX JOIN LEFT RIGHT INNER OUTER ON GROUP BY ORDER HAVING LIMIT AS NULL IS IN LIKE DISTINCT UNION ALL') },
  yaml: { comment: HASH_COMMENTS, keywords: words('true false null yes no') },
  json: { comment: [], keywords: words('true false null') },
  css: { comment: [/\/\*[\s\S]*?(?:\*\/|$)/y], keywords: words('important') },
}
const aliases: Record<string, string> = {
  javascript: 'js', jsx: 'js', mjs: 'js', vue: 'js', typescript: 'ts', tsx: 'ts', py: 'python', rb: 'ruby', golang: 'go',
  kotlin: 'java', csharp: 'java', cs: 'java', c: 'java', cpp: 'java', rust: 'go', sh: 'shell', bash: 'shell', zsh: 'shell',
  console: 'shell', yml: 'yaml', scss: 'css', graphql: 'js',
}

const STRING = /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?/y
const NUMBER = /\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[\da-f]+\b/iy
const WORD = /[A-Za-z_$][\w$?]*/y

export function grammarFor(language: string): Grammar | null {
  const key = language.toLowerCase()
  return grammars[aliases[key] ?? key] ?? null
}

/** Splits code into `[class, text]` pieces; class is '' for plain text. */
export function highlightTokens(code: string, grammar: Grammar): Array<[string, string]> {
  const out: Array<[string, string]> = []
  let plain = ''
  let i = 0
  const emit = (cls: string, text: string): void => {
    if (plain) out.push(['', plain])
    plain = ''
    out.push([cls, text])
  }
  const at = (re: RegExp): string | null => {
    re.lastIndex = i
    const m = re.exec(code)
    return m && m[0] ? m[0] : null
  }
  while (i < code.length) {
    let m: string | null = null
    for (const re of grammar.comment) if ((m = at(re))) break
    if (m) {
      emit('comment', m)
      i += m.length
      continue
    }
    if ((m = at(STRING))) {
      emit('string', m)
      i += m.length
      continue
    }
    const prev = code[i - 1] ?? ' '
    if (!/[\w$]/.test(prev)) {
      if ((m = at(NUMBER))) {
        emit('number', m)
        i += m.length
        continue
      }
      if ((m = at(WORD))) {
        if (grammar.keywords.has(m)) emit('keyword', m)
        else plain += m
        i += m.length
        continue
      }
    }
    plain += code[i]
    i++
  }
  if (plain) out.push(['', plain])
  return out
}

/**
 * Highlights one `<code class="language-*">` element in place, once. Works on the code as written
 * and marks its hidden characters again (with `labels`) afterwards.
 */
export function highlightElement(code: Element, labels: RendererLabels = defaultRendererLabels): void {
  if (code.hasAttribute('data-duo-highlighted')) return
  const language = [...code.classList].find((c) => c.startsWith('language-'))?.slice('language-'.length) ?? ''
  const grammar = grammarFor(language)
  if (!grammar) return
  const text = sourceText(code)
  const doc = code.ownerDocument
  const fragment = doc.createDocumentFragment()
  for (const [cls, piece] of highlightTokens(text, grammar)) {
    if (!cls) {
      fragment.append(doc.createTextNode(piece))
      continue
    }
    const span = doc.createElement('span')
    span.className = `duo-chat-hl-${cls}`
    span.textContent = piece
    fragment.append(span)
  }
  code.replaceChildren(fragment)
  if (hasHiddenCharacters(text)) markHiddenCharacters(code, labels)
  code.setAttribute('data-duo-highlighted', '')
}
