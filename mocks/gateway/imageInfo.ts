/**
 * What the mock gateway can tell about an attached image without native dependencies: its type by
 * magic bytes, its dimensions from the headers (PNG, JPEG, GIF, WebP), and for PNG also its
 * `tEXt` Description and dominant colour (IDAT inflated with Node's zlib, rows unfiltered). The
 * scripted model describes images from this, so the same bytes always get the same answer.
 *
 * The engine also runs in the browser (msw), where there is no zlib: there a PNG's colour is not
 * computed (null), and everything else is read the same way.
 */
type Zlib = { inflateSync(data: Uint8Array): Uint8Array }
const zlib = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:zlib') as Zlib | undefined

/** Base64 to bytes, in Node and in the browser alike. */
export function decodeBase64(base64: string): Uint8Array {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  } catch {
    return new Uint8Array()
  }
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (byte) => String.fromCharCode(byte)).join('')

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export type ImageType = 'png' | 'jpeg' | 'gif' | 'webp'

export interface ImageInfo {
  type: ImageType
  mimeType: string
  width: number
  height: number
  /** The nearest named colour to most pixels; null where the format is not decoded (JPEG, GIF, WebP) or the PNG is interlaced or not 8-bit. */
  dominantColour: string | null
  /** The text of a PNG `tEXt` chunk with keyword "Description". */
  description: string | null
}

/** The MIME type of each image type. */
export const IMAGE_MIME: Record<ImageType, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' }

/** The image type its first bytes declare, or null for anything else (SVG, HTML, text). */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const at = (offset: number, ...values: number[]) => values.every((value, i) => bytes[offset + i] === value)
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg'
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) return 'gif'
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp'
  return null
}

/** Reads an image; null when it is not one of the four types or its header is cut short. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | null {
  const type = sniffImageType(bytes)
  if (!type) return null
  try {
    let read: { width: number; height: number; dominantColour: string | null; description: string | null } | null
    if (type === 'png') read = readPng(bytes)
    else {
      const size = dimensions(type, bytes)
      read = size && { ...size, dominantColour: null, description: null }
    }
    if (!read || !(read.width > 0 && read.height > 0)) return null
    return { type, mimeType: IMAGE_MIME[type], ...read }
  } catch {
    return null
  }
}

function dimensions(type: Exclude<ImageType, 'png'>, bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (type === 'gif') return { width: view.getUint16(6, true), height: view.getUint16(8, true) }
  if (type === 'webp') {
    const chunk = String.fromCharCode(...bytes.subarray(12, 16))
    if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true)
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
    }
    const uint24 = (offset: number) => (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16)
    if (chunk === 'VP8X' && bytes.length >= 30) return { width: 1 + uint24(24), height: 1 + uint24(27) }
    return null
  }
  // JPEG: walk the segments to the first start-of-frame marker.
  let offset = 2
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null
    const marker = bytes[offset + 1] ?? 0
    if (marker === 0xff) {
      offset++
      continue
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) }
    offset += 2 + view.getUint16(offset + 2)
  }
  return null
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

function readPng(bytes: Uint8Array): { width: number; height: number; dominantColour: string | null; description: string | null } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 8
  let header: { width: number; height: number; bitDepth: number; colourType: number; interlace: number } | null = null
  let description: string | null = null
  let palette: Uint8Array | null = null
  const data: Uint8Array[] = []
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset)
    const name = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8))
    const body = bytes.subarray(offset + 8, offset + 8 + length)
    if (name === 'IHDR') {
      header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12), bitDepth: body[8] ?? 0, colourType: body[9] ?? 0, interlace: body[12] ?? 0 }
    } else if (name === 'tEXt') {
      const nul = body.indexOf(0)
      if (nul > 0 && latin1(body.subarray(0, nul)) === 'Description') description = latin1(body.subarray(nul + 1))
    } else if (name === 'PLTE') palette = body
    else if (name === 'IDAT') data.push(body)
    else if (name === 'IEND') break
    offset += 12 + length
  }
  if (!header) return null
  return { width: header.width, height: header.height, description, dominantColour: pngDominantColour(header, data, palette) }
}

function pngDominantColour(
  header: { width: number; height: number; bitDepth: number; colourType: number; interlace: number },
  data: Uint8Array[],
  palette: Uint8Array | null,
): string | null {
  const channels = CHANNELS[header.colourType]
  if (!zlib || !channels || header.bitDepth !== 8 || header.interlace !== 0 || data.length === 0) return null
  if (header.colourType === 3 && !palette) return null
  const pixels = zlib.inflateSync(concat(data))
  const stride = header.width * channels
  if (pixels.length < header.height * (stride + 1)) return null
  let previous: Uint8Array = new Uint8Array(stride)
  const counts = new Map<string, number>()
  // Every pixel of a small image; a large one is sampled on a grid, which names the same colour.
  const step = Math.max(1, Math.floor(Math.sqrt((header.width * header.height) / 250_000)))
  for (let y = 0; y < header.height; y++) {
    const start = y * (stride + 1)
    const row = unfilter(pixels[start] ?? 0, pixels.subarray(start + 1, start + 1 + stride), previous, channels)
    previous = row
    if (y % step !== 0) continue
    for (let x = 0; x < header.width; x += step) {
      const p = x * channels
      let rgba: [number, number, number, number]
      if (header.colourType === 0) rgba = [row[p]!, row[p]!, row[p]!, 255]
      else if (header.colourType === 4) rgba = [row[p]!, row[p]!, row[p]!, row[p + 1]!]
      else if (header.colourType === 3) {
        const index = row[p]! * 3
        rgba = [palette![index] ?? 0, palette![index + 1] ?? 0, palette![index + 2] ?? 0, 255]
      } else rgba = [row[p]!, row[p + 1]!, row[p + 2]!, channels === 4 ? row[p + 3]! : 255]
      if (rgba[3] < 16) continue
      const name = nearestColourName(rgba[0], rgba[1], rgba[2])
      counts.set(name, (counts.get(name) ?? 0) + 1)
    }
  }
  let best: string | null = null
  for (const [name, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = name
  return best
}

/** Undoes one PNG row filter (None, Sub, Up, Average, Paeth). */
function unfilter(filter: number, row: Uint8Array, previous: Uint8Array, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length)
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? out[i - bpp]! : 0
    const b = previous[i] ?? 0
    const c = i >= bpp ? previous[i - bpp] ?? 0 : 0
    const x = row[i]!
    let predicted = 0
    if (filter === 1) predicted = a
    else if (filter === 2) predicted = b
    else if (filter === 3) predicted = (a + b) >> 1
    else if (filter === 4) {
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
    }
    out[i] = (x + predicted) & 0xff
  }
  return out
}

/** The small palette colours are named from. */
export const COLOUR_NAMES: readonly (readonly [string, number, number, number])[] = [
  ['black', 0, 0, 0],
  ['white', 255, 255, 255],
  ['grey', 128, 128, 128],
  ['red', 220, 30, 30],
  ['orange', 255, 140, 0],
  ['yellow', 250, 220, 20],
  ['green', 30, 160, 50],
  ['cyan', 0, 200, 220],
  ['blue', 30, 70, 220],
  ['purple', 130, 50, 180],
  ['pink', 250, 140, 190],
  ['brown', 130, 80, 30],
]

export function nearestColourName(r: number, g: number, b: number): string {
  let best = COLOUR_NAMES[0]!
  let bestDistance = Infinity
  for (const colour of COLOUR_NAMES) {
    const distance = (r - colour[1]) ** 2 + (g - colour[2]) ** 2 + (b - colour[3]) ** 2
    if (distance < bestDistance) [best, bestDistance] = [colour, distance]
  }
  return best[0]
}

/** The sentence the scripted model says about one image. */
export function describeImage(name: string, info: ImageInfo): string {
  const parts = [`**${name}** is a ${info.type.toUpperCase()} image of ${info.width}×${info.height} pixels`]
  parts.push(info.dominantColour ? `, mostly ${info.dominantColour}` : ', of a colour I cannot tell')
  const described = info.description?.trim()
  return `${parts.join('')}.${described ? ` Its description reads: "${described}".` : ''}`
}
