// Compiled by `npm run build` (no output): in a browser the global WebSocket and localStorage fit the options.
import { RelaisClient, WebStorageCursorStore } from '../dist/index.js';

const client = new RelaisClient({
  url: location.origin,
  token: () => sessionStorage.getItem('accessToken') ?? '',
  WebSocket: globalThis.WebSocket,
  cursorStore: new WebStorageCursorStore(localStorage),
  onHistoryLost: async () => { await fetch('/api/v1/me'); },
});
void client.start();
