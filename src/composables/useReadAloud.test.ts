import { describe, expect, it } from 'vitest'
import { markdownToSpeech } from './speechText'
import { useReadAloud, type SpeechSynthesisAdapter } from './useReadAloud'

function fakeSynth(): SpeechSynthesisAdapter & { spoken: string[]; finish(): void; cancelled: number } {
  let onEnd: (() => void) | null = null
  const synth = {
    spoken: [] as string[],
    cancelled: 0,
    speak(text: string, end: () => void) {
      synth.spoken.push(text)
      onEnd = end
    },
    cancel() {
      synth.cancelled++
      const end = onEnd
      onEnd = null
      end?.()
    },
    finish() {
      const end = onEnd
      onEnd = null
      end?.()
    },
  }
  return synth
}

describe('markdownToSpeech', () => {
  it('says the text without markup, links by their text, and announces code blocks instead of reading them', () => {
    const markdown = [
      '## Fix the **button**',
      '',
      'See [the docs](https://docs.gitlab.com/ci) and run `npm test`:',
      '',
      '```js',
      'document.querySelector(".promo")?.remove()',
      '```',
      '',
      '- first _step_',
      '- second',
      '',
      '| Browser | Works |',
      '| --- | --- |',
      '| Chrome | yes |',
    ].join('\n')
    expect(markdownToSpeech(markdown, 'Code block skipped.')).toBe(
      ['Fix the button', 'See the docs and run npm test:', 'Code block skipped.', 'first step', 'second', 'Browser Works', 'Chrome yes'].join('\n'),
    )
  })

  it('skips a code block still open at the end', () => {
    expect(markdownToSpeech('Try this:\n\n```sh\nrm -rf build', 'Code block skipped.')).toBe('Try this:\nCode block skipped.')
  })
})

describe('useReadAloud', () => {
  it('reads one answer at a time: starting another stops the first; Stop and the end clear it', () => {
    const synth = fakeSynth()
    const { read, stop, speakingKey, available } = useReadAloud(() => synth, () => 'Code block skipped.')
    expect(available.value).toBe(true)
    read('a', 'First answer')
    expect(speakingKey.value).toBe('a')
    read('b', 'Second answer')
    expect(synth.cancelled).toBe(1)
    expect(speakingKey.value).toBe('b')
    expect(synth.spoken).toEqual(['First answer', 'Second answer'])
    synth.finish()
    expect(speakingKey.value).toBeNull()
    read('a', 'First answer')
    stop()
    expect(speakingKey.value).toBeNull()
  })

  it('is not available without a synthesizer', () => {
    expect(useReadAloud(() => null, () => '').available.value).toBe(false)
  })
})
