// The demo's pipeline switch: which of the mock gateway's pipelines answers the signed-in user,
// GitLab's ReAct agent or the deterministic `rag` pipeline (Duo Chat V2). `?pipeline=rag` picks
// it on load. It calls the gateway's control route, which exists in dev and test mode only.
const select = document.querySelector<HTMLSelectElement>('#pipeline')
const gatewayUrl = import.meta.env.VITE_GATEWAY_URL
const user = new URLSearchParams(location.search).get('user') === 'bob' ? 'bob' : 'alice'

async function choose(pipeline: string): Promise<void> {
  if (!gatewayUrl) return
  const response = await fetch(new URL('/__mock/settings', gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, pipeline }),
  })
  if (!response.ok) console.warn('[host] the gateway did not take the pipeline:', await response.text())
}

if (select) {
  const initial = new URLSearchParams(location.search).get('pipeline')
  if (initial === 'react' || initial === 'rag') {
    select.value = initial
    void choose(initial)
  }
  select.addEventListener('change', () => void choose(select.value))
}
