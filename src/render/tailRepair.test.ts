import { describe, expect, it } from 'vitest'
import { openFence, repairInline, repairTail } from './tailRepair'

describe('repairTail', () => {
  it('leaves complete text alone', () => {
    expect(repairTail('A **bold** word.\n')).toBe('A **bold** word.\n')
    expect(repairTail('')).toBe('')
  })

  it('closes unclosed emphasis and code spans in the last line', () => {
    expect(repairTail('Use **bold')).toBe('Use **bold**')
    expect(repairTail('Use *italic')).toBe('Use *italic*')
    expect(repairTail('Use __strong')).toBe('Use __strong__')
    expect(repairTail('Run `npm te')).toBe('Run `npm te`')
    expect(repairTail('A ~~struck')).toBe('A ~~struck~~')
    expect(repairTail('**bold *and italic')).toBe('**bold *and italic***')
  })

  it('drops a delimiter that opens nothing yet', () => {
    expect(repairTail('Text **')).toBe('Text ')
    expect(repairTail('Text **bold** and *')).toBe('Text **bold** and ')
  })

  it('does not mistake other asterisks and underscores for emphasis', () => {
    expect(repairTail('2 * 3 = 6')).toBe('2 * 3 = 6')
    expect(repairTail('call snake_case_name')).toBe('call snake_case_name')
    expect(repairTail('* a list item')).toBe('* a list item')
    expect(repairTail('`a **b` c')).toBe('`a **b` c')
  })

  it('shows a half link as its text and hides a half image', () => {
    expect(repairTail('See [the docs](https://docs.git')).toBe('See the docs')
    expect(repairTail('See ![diagram](https://exa')).toBe('See ')
    expect(repairTail('See ![diag')).toBe('See ')
  })

  it('holds back a line of markup until its content arrives', () => {
    expect(repairTail('Paragraph\n-')).toBe('Paragraph\n')
    expect(repairTail('Paragraph\n1.')).toBe('Paragraph\n')
    expect(repairTail('Text\n\n##')).toBe('Text\n\n')
    expect(repairTail('Text\n\n> ')).toBe('Text\n\n')
    expect(repairTail('- item\n  - ')).toBe('- item\n')
  })

  it('waits for the language of a code fence before opening it', () => {
    expect(repairTail('Intro\n\n```type')).toBe('Intro\n\n')
    expect(repairTail('Intro\n\n```typescript\nconst')).toBe('Intro\n\n```typescript\nconst')
  })

  it('keeps code as written inside an open fence but holds back a half closing fence', () => {
    expect(repairTail('```js\nconst a = **b')).toBe('```js\nconst a = **b')
    expect(repairTail('```js\nconst a = 1\n``')).toBe('```js\nconst a = 1\n')
    expect(repairTail('~~~\ncode\n~~')).toBe('~~~\ncode\n')
  })

  it('completes a half delimiter row under a table header so the table shows at once', () => {
    expect(repairTail('| a | b | c |\n|--')).toBe('| a | b | c |\n| --- | --- | --- |')
    // Inside a table the same line is a data row being written, not a delimiter.
    expect(repairTail('| a |\n| - |\n| 1 |\n|')).toBe('| a |\n| - |\n| 1 |\n')
  })
})

describe('openFence', () => {
  it('tracks fences opened and closed', () => {
    expect(openFence('```js\ncode\n')).toBe('```')
    expect(openFence('```js\ncode\n```\n')).toBeNull()
    expect(openFence('````\n```\n')).toBe('````')
    expect(openFence('~~~\n```\n')).toBe('~~~')
  })
})

describe('repairInline', () => {
  it('never leaves an empty emphasis behind', () => {
    expect(repairInline('word **')).toBe('word ')
    expect(repairInline('**')).toBe('')
  })
})
