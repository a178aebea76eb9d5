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
