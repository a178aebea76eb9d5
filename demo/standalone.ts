// Stands in for <script src="duo-chat-drawer.iife.js"> while the demo serves the source with Vite.
import '../src/element'
