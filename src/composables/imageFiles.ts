/**
 * Image files as the drawer takes them: recognised by their first bytes (a file's MIME type is
 * only what its name suggests), kept as base64 for the gateway, and shown through a data: URL
 * built only from bytes that are one of the four accepted formats.
 */
import type { ContextItem } from '../state/contexts'

export type AcceptedImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif'

/** What the first bytes say the file is; null for SVG, HTML and everything else. */
export function sniffImage(bytes: Uint8Array): AcceptedImageType | null {
  const at = (offset: number, ...values: number[]) => values.every((value, i) => bytes[offset + i] === value)
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) return 'image/gif'
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp'
  return null
}

/** What a file's first bytes say it is (see {@link sniffImage}). */
export async function sniffBlob(blob: Blob): Promise<AcceptedImageType | null> {
  return sniffImage(new Uint8Array(await blob.slice(0, 16).arrayBuffer()))
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function headOfBase64(content: string): Uint8Array {
  try {
    return Uint8Array.from(atob(content.slice(0, 24)), (c) => c.charCodeAt(0))
  } catch {
    return new Uint8Array()
  }
}

/** Whether a context item is an image the drawer can show. */
export function isImageItem(item: Pick<ContextItem, 'category' | 'content'>): boolean {
  return item.category === 'IMAGE' && imageDataUrl(item) !== null
}

/**
 * The thumbnail's src: a data: URL of the item's own bytes, only when they are PNG, JPEG, WebP or
 * GIF and plain base64 (so nothing from history can smuggle another type or markup into it).
 */
export function imageDataUrl(item: Pick<ContextItem, 'category' | 'content'>): string | null {
  const content = item.content ?? ''
  if (item.category !== 'IMAGE' || !content || !/^[A-Za-z0-9+/]+={0,2}$/.test(content)) return null
  const type = sniffImage(headOfBase64(content))
  return type ? `data:${type};base64,${content}` : null
}
