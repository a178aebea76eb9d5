import { expect, test, type Page } from '@playwright/test'
import { resetGateway, scriptNextAnswer } from './gateway'

test.beforeEach(async ({ request }) => {
  await resetGateway(request)
})

/** Sends a command through `window.DuoChat`, as a script-tag host does, and records how it ends. */
async function sendFromHost(page: Page, question: string, resourceId: string, tag: string): Promise<void> {
  await page.evaluate(
    ({ question, resourceId, tag }) => {
      const results = ((window as unknown as { __results?: Record<string, string> }).__results ??= {})
      window.DuoChat!.sendDuoChatCommand({ question, resourceId }).then(
        (answer) => (results[tag] = `answered: ${answer.content}`),
        (error: Error) => (results[tag] = `${error.name}: ${error.message}`),
      )
    },
    { question, resourceId, tag },
  )
}

const results = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __results?: Record<string, string> }).__results }))

test('three chained commands from window.DuoChat are answered in order', async ({ page, request }) => {
  // The first answer streams slowly enough for the other two to be seen waiting.
  await scriptNextAnswer(request, { user: 'alice', text: 'First answer.', chunkSize: 1, delayMs: 100 })
  for (const text of ['Second answer.', 'Third answer.']) {
    await scriptNextAnswer(request, { user: 'alice', text, chunkSize: 4, delayMs: 15 })
  }
  await page.goto('/')
  await sendFromHost(page, '/explain', 'gid://gitlab/Issue/1', 'one')
  await sendFromHost(page, 'Summarize this merge request', 'gid://gitlab/MergeRequest/1', 'two')
  await sendFromHost(page, 'What changed?', 'gid://gitlab/MergeRequest/1', 'three')

  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  await expect(drawer).toBeVisible()
  await expect(drawer.getByRole('list', { name: 'Queued prompts' }).getByRole('listitem')).toHaveText([/Summarize this merge request/, /What changed\?/])

  const answers = drawer.getByRole('article', { name: /^GitLab Duo/ })
  await expect(answers).toHaveText([/First answer\./, /Second answer\./, /Third answer\./])
  await expect(drawer.getByRole('article', { name: /^You/ })).toHaveText([/\/explain/, /Summarize this merge request/, /What changed\?/])
  await expect.poll(() => results(page)).toEqual({
    one: 'answered: First answer.',
    two: 'answered: Second answer.',
    three: 'answered: Third answer.',
  })
  await expect(drawer.getByRole('list', { name: 'Queued prompts' })).toHaveCount(0)
})

test('Stop on the first command rejects it with AbortError and the second still answers', async ({ page, request }) => {
  await scriptNextAnswer(request, { user: 'alice', text: 'A long answer that streams slowly. '.repeat(20), chunkSize: 4, delayMs: 50 })
  await scriptNextAnswer(request, { user: 'alice', text: 'The merge request fixes the click handler.', chunkSize: 8, delayMs: 10 })
  await page.goto('/')
  await sendFromHost(page, '/explain', 'gid://gitlab/Issue/1', 'first')
  await sendFromHost(page, 'Summarize this merge request', 'gid://gitlab/MergeRequest/1', 'second')

  const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
  const answers = drawer.getByRole('article', { name: /^GitLab Duo/ })
  const firstAnswer = answers.first()
  await expect(firstAnswer).toHaveAttribute('data-status', 'streaming')
  await drawer.getByRole('button', { name: 'Stop' }).click()
  await expect(firstAnswer).toHaveAttribute('data-status', 'stopped')
  await expect(firstAnswer).toContainText('Stopped.')
  // The text as the DOM holds it (what a screen reader and a copy get). Not innerText: answers are
  // `content-visibility: auto`, and innerText leaves out what the browser skipped laying out (an
  // answer off screen, or one inserted since the last frame), so what it reads depends on timing.
  const stoppedText = await firstAnswer.textContent()
  expect(stoppedText).toMatch(/A long/)

  await expect.poll(() => results(page)).toMatchObject({ first: expect.stringMatching(/^AbortError/) })
  await expect.poll(() => results(page)).toMatchObject({ second: 'answered: The merge request fixes the click handler.' })
  // The stopped answer keeps its place above the second one, which is complete.
  await expect(answers).toHaveCount(2)
  await expect(answers.last()).toHaveAttribute('data-status', 'complete')
  await expect(answers.last()).toContainText('The merge request fixes the click handler.')
  await expect(firstAnswer).toHaveAttribute('data-status', 'stopped')
  // The stopped answer does not grow after Stop, even though the gateway kept streaming it.
  expect(await firstAnswer.textContent()).toBe(stoppedText)
})

test('the host buttons of both demo hosts launch their commands', async ({ page, request }) => {
  for (const path of ['/', '/vue.html']) {
    await resetGateway(request)
    await scriptNextAnswer(request, { user: 'alice', text: `Explained on ${path}.`, delayMs: 5 })
    await page.goto(path)
    await page.getByRole('button', { name: 'Explain this issue' }).click()
    const drawer = page.getByRole('complementary', { name: 'Duo Chat' })
    await expect(drawer.getByRole('article', { name: /^You/ }).last()).toContainText('/explain')
    await expect(drawer.getByRole('article', { name: /^GitLab Duo/ }).last()).toContainText(`Explained on ${path}.`)
  }
})
