// The 'actioncable' transport's code, loaded as one module (one lazy chunk) on its first use.
export { ActionCableLink } from './actionCableLink'
export { loadCableConsumer } from './actionCableConsumer'
