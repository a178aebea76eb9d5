import type { APIRequestContext } from '@playwright/test'

/** The Node gateway the Playwright web server started (see playwright.config.ts). */
export const gatewayOrigin = `http://127.0.0.1:${process.env.E2E_GATEWAY_PORT ?? 4010}`

export async function resetGateway(request: APIRequestContext): Promise<void> {
  const response = await request.post(`${gatewayOrigin}/__mock/reset`)
  if (!response.ok()) throw new Error(`reset failed: ${response.status()}`)
}

/** Lets the user's answer held by a scenario's `holdAfterChunks` stream on to its next hold or its end (or, not there yet, pass it). */
export async function releaseAnswer(request: APIRequestContext, user: string): Promise<void> {
  const response = await request.post(`${gatewayOrigin}/__mock/release`, { data: { user } })
  if (!response.ok()) throw new Error(`release refused: ${await response.text()}`)
}

export async function scriptNextAnswer(request: APIRequestContext, scenario: Record<string, unknown>): Promise<void> {
  const response = await request.post(`${gatewayOrigin}/__mock/scenario`, { data: scenario })
  if (!response.ok()) throw new Error(`scenario refused: ${await response.text()}`)
}
