import { ref } from 'vue'
import type { ContextItem } from '../state/contexts'
import type { DuoChatLabels } from '../state/labels'
import type { ScreenCaptureAdapter } from './screenCapture'
import { sniffBlob, toBase64, type AcceptedImageType } from './imageFiles'

/** Decodes and redraws images; the browser's canvas by default, a fake in tests (jsdom has no decoder). */
export interface ImageScaler {
  /** The image's natural size; rejects when it cannot be decoded. */
  measure(blob: Blob): Promise<{ width: number; height: number }>
  /** The image redrawn at `width`×`height` and encoded as `type`. */
  scale(blob: Blob, target: { width: number; height: number; type: 'image/png' | 'image/jpeg' | 'image/webp'; quality?: number }): Promise<Blob>
}

/** `createDuoChat({ images })`: how attached images are checked and shrunk before upload. */
export interface ImageAttachmentOptions {
  /** Turns "Attach image", "Share screen", paste and drop off. @default true */
  enabled?: boolean
  /** The largest file accepted, in bytes. @default 5242880 (5 MB) */
  maxFileBytes?: number
  /** Images are scaled down so that their longest side is at most this, in pixels. @default 1568 */
  maxSide?: number
  /**
   * The most bytes one image may take on the wire; larger ones are re-encoded smaller (the mock
   * gateway takes 700,000 bytes by default). @default 700000
   */
  maxUploadBytes?: number
  /**
   * The most bytes all images of one question may take together: the mock gateway's transports
   * take 1 MB bodies, and base64 adds a third. @default 700000
   */
  maxTotalUploadBytes?: number
  /** Decoder and scaler; defaults to `createImageBitmap` and a canvas. */
  scaler?: ImageScaler
  /** "Share screen"'s capture; defaults to `getDisplayMedia` (the button is hidden where the browser has none). */
  screenCapture?: ScreenCaptureAdapter
}

export const DEFAULT_IMAGE_OPTIONS = { enabled: true, maxFileBytes: 5 * 1024 * 1024, maxSide: 1568, maxUploadBytes: 700_000, maxTotalUploadBytes: 700_000 } as const

/** A file the user chose that cannot be attached; its message is for the user. */
export class ImageRefusedError extends Error {}

/** The browser's canvas. */
export const canvasScaler: ImageScaler = {
  async measure(blob) {
    const bitmap = await createImageBitmap(blob)
    const size = { width: bitmap.width, height: bitmap.height }
    bitmap.close()
    return size
  },
  async scale(blob, { width, height, type, quality }) {
    const bitmap = await createImageBitmap(blob)
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, width, height)
    bitmap.close()
    return new Promise((resolve, reject) => canvas.toBlob((out) => (out ? resolve(out) : reject(new Error('The canvas could not encode the image.'))), type, quality))
  },
}

type ImageLabels = Pick<DuoChatLabels, 'imageNotSupported' | 'imageTooLarge' | 'imageUnreadable' | 'imagesTooLargeTogether'>

const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`)

/**
 * Checks one file and makes the context item sent for it: the original bytes when they are small
 * enough (a PNG keeps its text chunks), otherwise redrawn at most `maxSide` and re-encoded until
 * it fits `maxUploadBytes`.
 */
export async function prepareImage(file: Blob, name: string, options: ImageAttachmentOptions, labels: ImageLabels): Promise<ContextItem> {
  const { maxFileBytes, maxSide, maxUploadBytes } = { ...DEFAULT_IMAGE_OPTIONS, ...options }
  const scaler = options.scaler ?? canvasScaler
  const type = await sniffBlob(file)
  if (!type) throw new ImageRefusedError(labels.imageNotSupported(name))
  if (file.size > maxFileBytes) throw new ImageRefusedError(labels.imageTooLarge(name, megabytes(maxFileBytes)))
  let size: { width: number; height: number }
  try {
    size = await scaler.measure(file)
  } catch {
    throw new ImageRefusedError(labels.imageUnreadable(name))
  }
  let blob: Blob = file
  let finalType: AcceptedImageType = type
  let { width, height } = size
  if (Math.max(width, height) > maxSide || file.size > maxUploadBytes) {
    let factor = Math.min(1, maxSide / Math.max(width, height))
    // A GIF is redrawn as PNG (one frame); a photo that stays too large goes to JPEG.
    let target: 'image/png' | 'image/jpeg' | 'image/webp' = type === 'image/gif' ? 'image/png' : type
    for (let attempt = 0; ; attempt++) {
      width = Math.max(1, Math.round(size.width * factor))
      height = Math.max(1, Math.round(size.height * factor))
      blob = await scaler.scale(file, { width, height, type: target, quality: target === 'image/png' ? undefined : 0.85 })
      const scaledType = await sniffBlob(blob)
      if (!scaledType) throw new ImageRefusedError(labels.imageUnreadable(name))
      finalType = scaledType
      if (blob.size <= maxUploadBytes) break
      if (attempt >= 6) throw new ImageRefusedError(labels.imageTooLarge(name, megabytes(maxUploadBytes)))
      if (target === 'image/png') target = 'image/jpeg'
      else factor *= 0.75
    }
  }
  return {
    id: `image:${crypto.randomUUID()}`,
    category: 'IMAGE',
    title: name,
    content: toBase64(new Uint8Array(await blob.arrayBuffer())),
    metadata: { mimeType: finalType, width, height },
  }
}

/**
 * Images pasted, dropped, picked or captured, turned into chips beside the prompt. A refused file
 * sets `problem` (shown and announced by the prompt) and leaves everything else as it was.
 */
export function useImageAttachments(
  attach: (item: ContextItem) => void,
  options: () => ImageAttachmentOptions,
  labels: () => ImageLabels,
  /** The images already beside the prompt, which go with the same question. */
  attached: () => readonly ContextItem[] = () => [],
) {
  const problem = ref<string | null>(null)
  const pending = ref(0)

  async function addImage(file: Blob, name: string): Promise<boolean> {
    pending.value++
    try {
      const item = await prepareImage(file, name, options(), labels())
      const limit = options().maxTotalUploadBytes ?? DEFAULT_IMAGE_OPTIONS.maxTotalUploadBytes
      const bytes = (content: string | undefined) => Math.floor(((content ?? '').length * 3) / 4)
      const total = attached().reduce((sum, other) => sum + (other.category === 'IMAGE' ? bytes(other.content) : 0), bytes(item.content))
      if (total > limit) throw new ImageRefusedError(labels().imagesTooLargeTogether(name, megabytes(limit)))
      attach(item)
      return true
    } catch (e) {
      problem.value = e instanceof ImageRefusedError ? e.message : labels().imageUnreadable(name)
      if (!(e instanceof ImageRefusedError)) console.warn('[duo-chat-drawer]: an image could not be attached.', e)
      return false
    } finally {
      pending.value--
    }
  }

  /** Adds every file; returns how many were attached. */
  async function addFiles(files: Iterable<File>): Promise<number> {
    problem.value = null
    let added = 0
    for (const file of files) if (await addImage(file, file.name || 'image')) added++
    return added
  }

  return { problem, pending, addImage, addFiles, clearProblem: () => (problem.value = null) }
}
