/** A long answer with every kind of markdown the drawer renders: headings, lists, code, a table, a quote, links. */
export const LONG_MARKDOWN_ANSWER = `## Why the checkout button does nothing on Safari

The spring promo overlay (\`.promo-overlay\`) sits on top of the **Pay now** button. Safari sends the
click to the overlay, so \`onPay\` never runs. Chrome and Firefox pass it through because the overlay
has \`pointer-events: none\` only in their stylesheet.

### What to change

1. Give the overlay \`pointer-events: none\` in the shared stylesheet.
2. Call \`event.preventDefault()\` in the click handler, so the form does not submit twice.
3. Add a regression test that clicks the button with the overlay shown.

\`\`\`ts
export function mountPayButton(root: HTMLElement, { onPay }: { onPay: () => void }) {
  const button = root.querySelector<HTMLButtonElement>('[data-pay]')
  button?.addEventListener('click', (event) => {
    event.preventDefault()
    onPay()
  })
}
\`\`\`

\`\`\`css
.promo-overlay {
  pointer-events: none;
}
\`\`\`

### Browsers

| Browser | Version | Click reaches the button | Fixed by |
| --- | ---: | :---: | --- |
| Safari | 17.3 | no | overlay CSS |
| Safari iOS | 17 | no | overlay CSS |
| Chrome | 122 | yes | — |
| Firefox | 123 | yes | — |

> The overlay was added in !42 for the spring promo; it can go once the promo ends.

- [x] Reproduced on Safari 17.3
- [ ] Tested on iOS 17

See [the merge request](https://gitlab.example.com/acme/shop/-/merge_requests/1) and the
[Issues documentation](https://docs.gitlab.com/user/project/issues/).
`

/** An answer wider than the drawer: a five-column table, a long line of code, a long link and an unbroken string. */
export const WIDE_TABLE_ANSWER = [
  '## Browser support',
  '',
  '| Browser | Version | Engine | Released | Checkout works |',
  '| --- | --- | --- | --- | --- |',
  '| Safari | 17.4 | WebKit | March 2024 | No: the overlay keeps intercepting clicks |',
  '| Chrome | 123 | Blink | March 2024 | Yes |',
  '| Firefox | 124 | Gecko | March 2024 | Yes |',
  '',
  '```js',
  "document.querySelectorAll('.promo-overlay, .promo-overlay__backdrop').forEach((element) => element.remove()) // remove every overlay",
  '```',
  '',
  'See https://gitlab.example.com/acme/shop/-/merge_requests/1/diffs?commit_id=0123456789abcdef0123456789abcdef01234567 and the hash sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.',
].join('\n')
