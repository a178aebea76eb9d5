/**
 * Writes small PNG files for tests and the e2e suite: one solid colour, optionally a `tEXt`
 * Description, rows filtered with "Sub" so the reader's unfiltering is exercised.
 */
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(name: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(name, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
  return Buffer.concat([head, body, crc])
}

/** An RGB PNG of pseudo-random pixels (it hardly compresses): a large file from a small image. */
export function noisePng(width: number, height: number, seed = 1): Buffer {
  let state = seed >>> 0 || 1
  // xorshift32
  const next = () => {
    state = (state ^ (state << 13)) >>> 0
    state = (state ^ (state >>> 17)) >>> 0
    state = (state ^ (state << 5)) >>> 0
    return state & 0xff
  }
  return png(width, height, (rows, start) => {
    for (let i = 1; i <= width * 3; i++) rows[start + i] = next()
  })
}

/** An RGB PNG of `width`×`height` in one colour. */
export function solidPng(width: number, height: number, rgb: readonly [number, number, number], description?: string): Buffer {
  return png(
    width,
    height,
    (rows, start) => {
      rows[start] = 1 // Sub: the first pixel holds the colour, the rest hold zero differences.
      rows[start + 1] = rgb[0]
      rows[start + 2] = rgb[1]
      rows[start + 3] = rgb[2]
    },
    description,
  )
}

function png(width: number, height: number, fillRow: (rows: Buffer, start: number) => void, description?: string): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const rows = Buffer.alloc(height * (1 + width * 3))
  for (let y = 0; y < height; y++) fillRow(rows, y * (1 + width * 3))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(description ? [chunk('tEXt', Buffer.from(`Description\0${description}`, 'latin1'))] : []),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ])
}
