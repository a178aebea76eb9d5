import { computed, ref } from 'vue'
import { markdownToSpeech } from './speechText'

/** Speaks text; the browser's speechSynthesis by default, a fake in tests. */
export interface SpeechSynthesisAdapter {
  /** Starts speaking; `onEnd` runs once when it finishes, fails or is cancelled. */
  speak(text: string, onEnd: () => void): void
  cancel(): void
}

/** The page's speechSynthesis, or null where the browser has none. */
export function browserSpeechSynthesis(): SpeechSynthesisAdapter | null {
  if (typeof window === 'undefined' || !window.speechSynthesis || typeof SpeechSynthesisUtterance === 'undefined') return null
  const synthesis = window.speechSynthesis
  return {
    speak(text, onEnd) {
      const utterance = new SpeechSynthesisUtterance(text)
      utterance.lang = document.documentElement.lang || navigator.language
      let ended = false
      const end = () => {
        if (!ended) (ended = true), onEnd()
      }
      utterance.onend = end
      utterance.onerror = end
      synthesis.speak(utterance)
    },
    cancel: () => synthesis.cancel(),
  }
}

// One answer at a time across the page: every drawer and answer shares this.
const speaking = ref<string | null>(null)
let current: SpeechSynthesisAdapter | null = null

/**
 * "Read aloud" for answers: `read(key, markdown)` speaks one answer (stopping any other),
 * `stop()` ends it, `speakingKey` says which answer is speaking.
 */
export function useReadAloud(adapter: () => SpeechSynthesisAdapter | null, codeBlockSkipped: () => string) {
  const available = computed(() => adapter() !== null)

  function stop(): void {
    current?.cancel()
    current = null
    speaking.value = null
  }

  function read(key: string, markdown: string): void {
    const synth = adapter()
    if (!synth) return
    stop()
    current = synth
    speaking.value = key
    synth.speak(markdownToSpeech(markdown, codeBlockSkipped()), () => {
      // A later answer may have taken over; only the one still speaking is cleared.
      if (speaking.value === key) {
        speaking.value = null
        current = null
      }
    })
  }

  return { available, speakingKey: computed(() => speaking.value), read, stop }
}
