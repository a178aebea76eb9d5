import { afterEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { readImageInfo, sniffImageType } from './imageInfo'
import { solidPng } from './pngFixture'
import { ALICE, ask, askAndWait, createTestGateway, run } from './testHelpers'

const image = (bytes: Uint8Array, title = 'screenshot.png') => ({ category: 'IMAGE', id: `image:${title}`, content: Buffer.from(bytes).toString('base64'), metadata: { title } })
const MESSAGES = `query ($threadId: AiConversationThreadID) { aiMessages(threadId: $threadId) { nodes { role extras { additionalContext { category id content metadata } } } } }`

describe('reading images', () => {
  it('reads a PNG: dimensions, dominant colour through the row filters, and its tEXt Description', () => {
    expect(readImageInfo(solidPng(40, 30, [20, 60, 230], 'A login form with two fields'))).toEqual({
      type: 'png',
      mimeType: 'image/png',
      width: 40,
      height: 30,
      dominantColour: 'blue',
      description: 'A login form with two fields',
    })
  })

  it('reads the dimensions of GIF, JPEG and WebP from their headers', () => {
    const gif = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x03, 0x58, 0x02, 0, 0, 0])
    expect(readImageInfo(gif)).toMatchObject({ type: 'gif', width: 800, height: 600, dominantColour: null })
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0])
    expect(readImageInfo(jpeg)).toMatchObject({ type: 'jpeg', width: 640, height: 480 })
    const webp = Buffer.alloc(30)
    webp.write('RIFF', 0, 'latin1')
    webp.write('WEBPVP8X', 8, 'latin1')
    webp.writeUIntLE(1023, 24, 3)
    webp.writeUIntLE(767, 27, 3)
    expect(readImageInfo(webp)).toMatchObject({ type: 'webp', width: 1024, height: 768 })
  })

  it('recognises no SVG or HTML, whatever they claim to be', () => {
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(readImageInfo(Buffer.from('<html><img src=x onerror=alert(1)>'))).toBeNull()
  })
})

describe('the vision path', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('answers with what it sees in an attached image, and keeps the image in the thread history', async () => {
    gateway = createTestGateway()
    const turn = await askAndWait(gateway, ALICE, {
      content: 'What is in this screenshot?',
      additionalContext: [image(solidPng(120, 80, [230, 30, 30], 'An error banner'))],
    })
    expect(turn.answer.content).toContain('120×80')
    expect(turn.answer.content).toContain('mostly red')
    expect(turn.answer.content).toContain('An error banner')
    expect(turn.answer.content).toContain('screenshot.png')

    const history = await run(gateway, ALICE, MESSAGES, { threadId: turn.threadId })
    const nodes = (history.data as { aiMessages: { nodes: { role: string; extras: { additionalContext: { category: string; content: string }[] } | null }[] } }).aiMessages.nodes
    const question = nodes.find((node) => node.role === 'USER')
    expect(question?.extras?.additionalContext[0]).toMatchObject({ category: 'IMAGE', content: image(solidPng(120, 80, [230, 30, 30], 'An error banner')).content })
  })

  it('refuses an SVG sent as an image, with M1005, and stores nothing', async () => {
    gateway = createTestGateway()
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    const payload = await ask(gateway, ALICE, { content: 'look', additionalContext: [image(svg, 'x.svg')] })
    expect(payload.requestId).toBeNull()
    expect(payload.errors).toEqual(['The image of context item 1 is not a PNG, JPEG, WebP or GIF in base64. Attach one of those. Error code: M1005'])
  })

  it('refuses an image over maxImageBytes and more images than maxImagesPerQuestion', async () => {
    gateway = createTestGateway({ limits: { maxImageBytes: 1_000, maxImagesPerQuestion: 1 } })
    const big = await ask(gateway, ALICE, { content: 'look', additionalContext: [image(Buffer.concat([solidPng(2, 2, [0, 0, 0]), Buffer.alloc(2_000)]))] })
    expect(big.errors[0]).toMatch(/^The image of context item 1 is about 2,\d{3} bytes, over the limit of 1,000\. Send a smaller image\. Error code: M1005$/)
    const two = await ask(gateway, ALICE, { content: 'look', additionalContext: [image(solidPng(2, 2, [0, 0, 0]), 'a.png'), image(solidPng(2, 2, [0, 0, 0]), 'b.png')] })
    expect(two.errors).toEqual(['The question carries more than 1 images. Remove some and send it again. Error code: M1005'])
  })

  it('does not count image bytes toward the text context limit', async () => {
    gateway = createTestGateway({ limits: { maxContextLength: 200 } })
    const payload = await ask(gateway, ALICE, { content: 'look', additionalContext: [image(solidPng(64, 64, [255, 255, 255]))] })
    expect(payload.errors).toEqual([])
  })
})

describe('the OpenAI-compatible provider', () => {
  it('sends attached images as image_url parts after the prompt text, which keeps a pointer in their place', async () => {
    const { buildPrompt } = await import('./reactFormat')
    const { userContent } = await import('./openaiProvider')
    const base64 = Buffer.from(solidPng(4, 4, [0, 0, 0])).toString('base64')
    const prompt = buildPrompt({ question: 'What is this?', resourceId: null, currentFile: null, tools: [], scratchpad: [], additionalContext: [{ category: 'IMAGE', id: 'image:1', content: base64, metadata: { title: 'a.png' } }] })
    const content = userContent(prompt)
    expect(Array.isArray(content)).toBe(true)
    const [text, image] = content as [{ type: 'text'; text: string }, { type: 'image_url'; image_url: { url: string } }]
    expect(text.text).toContain('[image 1, attached after this text]')
    expect(text.text).not.toContain(base64)
    expect(image).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${base64}` } })
    expect(userContent('Begin!\n\n<question>\nhi\n</question>\nThought:')).toBe('Begin!\n\n<question>\nhi\n</question>\nThought:')
  })
})
