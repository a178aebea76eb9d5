// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import { solidPng } from '../../mocks/gateway/pngFixture'
import { defaultLabels } from '../state/labels'
import type { ContextItem } from '../state/contexts'
import { imageDataUrl } from './imageFiles'
import { prepareImage, useImageAttachments, type ImageScaler } from './useImageAttachments'

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0]

/** jsdom decodes no images: this one reports a fixed size and "redraws" into bytes of the asked size and type. */
function fakeScaler(size: { width: number; height: number }, encodedBytes: (target: { width: number; type: string }) => number = () => 1000): ImageScaler & { calls: { width: number; height: number; type: string }[] } {
  const calls: { width: number; height: number; type: string }[] = []
  return {
    calls,
    measure: async () => size,
    scale: async (_blob, target) => {
      calls.push(target)
      const head = target.type === 'image/png' ? [...solidPng(1, 1, [0, 0, 0]).subarray(0, 8)] : JPEG_HEAD
      return new Blob([new Uint8Array([...head, ...new Uint8Array(encodedBytes(target) - head.length)])], { type: target.type })
    },
  }
}

const file = (bytes: Uint8Array | string, name: string, type = 'image/png') => new File([bytes as BlobPart], name, { type })
const decode = (item: ContextItem) => Uint8Array.from(atob(item.content ?? ''), (c) => c.charCodeAt(0))

describe('prepareImage', () => {
  it('keeps a small PNG byte for byte (its tEXt chunk with it) and names the chip after the file', async () => {
    const png = solidPng(40, 30, [0, 0, 255], 'A chart')
    const scaler = fakeScaler({ width: 40, height: 30 })
    const item = await prepareImage(file(png, 'chart.png'), 'chart.png', { scaler }, defaultLabels)
    expect(item).toMatchObject({ category: 'IMAGE', title: 'chart.png', metadata: { mimeType: 'image/png', width: 40, height: 30 } })
    expect(decode(item)).toEqual(new Uint8Array(png))
    expect(scaler.calls).toEqual([])
    expect(imageDataUrl(item)).toBe(`data:image/png;base64,${item.content}`)
  })

  it('scales an image down so that its longest side is maxSide', async () => {
    const scaler = fakeScaler({ width: 3136, height: 1000 })
    const item = await prepareImage(file(solidPng(2, 2, [0, 0, 0]), 'wide.png'), 'wide.png', { scaler }, defaultLabels)
    expect(scaler.calls).toEqual([{ width: 1568, height: 500, type: 'image/png', quality: undefined }])
    expect(item.metadata).toMatchObject({ width: 1568, height: 500 })
  })

  it('re-encodes what is still over maxUploadBytes: JPEG first, then smaller', async () => {
    const scaler = fakeScaler({ width: 1000, height: 1000 }, ({ width, type }) => (type === 'image/png' ? 900_000 : width * 500))
    const heavy = new Uint8Array([...solidPng(2, 2, [0, 0, 0]), ...new Uint8Array(500_000)])
    const item = await prepareImage(file(heavy, 'big.png'), 'big.png', { scaler, maxUploadBytes: 400_000, maxSide: 1000 }, defaultLabels)
    expect(scaler.calls.map((call) => `${call.type} ${call.width}`)).toEqual(['image/png 1000', 'image/jpeg 1000', 'image/jpeg 750'])
    expect(item.metadata).toMatchObject({ mimeType: 'image/jpeg', width: 750, height: 750 })
  })

  it('refuses an SVG, even one named .png and typed image/png, by its bytes', async () => {
    const svg = file('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'logo.png', 'image/png')
    await expect(prepareImage(svg, 'logo.png', { scaler: fakeScaler({ width: 1, height: 1 }) }, defaultLabels)).rejects.toThrow(
      'logo.png is not a PNG, JPEG, WebP or GIF image, so it cannot be attached.',
    )
  })

  it('refuses a file over maxFileBytes', async () => {
    const big = file(new Uint8Array([...solidPng(1, 1, [0, 0, 0]), ...new Uint8Array(2048)]), 'huge.png')
    await expect(prepareImage(big, 'huge.png', { scaler: fakeScaler({ width: 1, height: 1 }), maxFileBytes: 1024 }, defaultLabels)).rejects.toThrow('huge.png is larger than 1 KB. Attach a smaller image.')
  })
})

describe('useImageAttachments', () => {
  it('attaches the images among the files and says which was refused, keeping the others', async () => {
    const attach = vi.fn()
    const images = useImageAttachments(attach, () => ({ scaler: fakeScaler({ width: 10, height: 10 }) }), () => defaultLabels)
    const added = await images.addFiles([file(solidPng(10, 10, [0, 0, 0]), 'a.png'), file('<svg/>', 'b.svg', 'image/svg+xml')])
    expect(added).toBe(1)
    expect(attach).toHaveBeenCalledWith(expect.objectContaining({ title: 'a.png', category: 'IMAGE' }))
    expect(images.problem.value).toBe('b.svg is not a PNG, JPEG, WebP or GIF image, so it cannot be attached.')
  })
})

describe('the images of one question together', () => {
  it('refuses an image that would take them over maxTotalUploadBytes, naming it, and keeps the others', async () => {
    const attached: ContextItem[] = []
    const images = useImageAttachments((item) => attached.push(item), () => ({ scaler: fakeScaler({ width: 10, height: 10 }), maxTotalUploadBytes: 3_000 }), () => defaultLabels, () => attached)
    const heavy = (name: string) => file(new Uint8Array([...solidPng(1, 1, [0, 0, 0]), ...new Uint8Array(2_000)]), name)
    expect(await images.addFiles([heavy('one.png'), heavy('two.png')])).toBe(1)
    expect(attached.map((item) => item.title)).toEqual(['one.png'])
    expect(images.problem.value).toBe("two.png would take this question's images over 3 KB together. Send it with a question of its own, or remove an image.")
  })
})

describe('imageDataUrl', () => {
  it('makes no URL of content that is not one of the four image types, whatever the item claims', () => {
    expect(imageDataUrl({ category: 'IMAGE', content: btoa('<svg onload=alert(1)>') })).toBeNull()
    expect(imageDataUrl({ category: 'IMAGE', content: 'iVBORw0KGgo=" onerror="alert(1)' })).toBeNull()
    expect(imageDataUrl({ category: 'FILE', content: btoa('\x89PNG\r\n\x1a\n') })).toBeNull()
  })
})
