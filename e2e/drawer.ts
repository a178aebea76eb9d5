import { expect, type Locator } from '@playwright/test'

/** Types a question into the open drawer, sends it with Enter, and returns its answer's article. */
export async function ask(drawer: Locator, question: string): Promise<Locator> {
  const prompt = drawer.getByRole('textbox', { name: 'Chat prompt' })
  await expect(drawer.getByRole('button', { name: 'Send' })).toBeVisible()
  await prompt.fill(question)
  await prompt.press('Enter')
  return drawer.getByRole('article', { name: /^GitLab Duo/ }).last()
}
