/**
 * The files of the script-tag build's on-demand parts, beside `duo-chat-drawer.iife.js` in dist/:
 * vite.standalone-parts.config.ts writes them and ./standaloneParts.ts loads them.
 */
export const STANDALONE_PART_FILES = {
  renderer: 'duo-chat-drawer.renderer.js',
  actionCable: 'duo-chat-drawer.actioncable.js',
} as const
