// Compiled by `npm run build` (no output): the published types accept the `ws` package's WebSocket on Node, without
// the DOM library, as the README shows.
import WebSocket from 'ws';
import { RelaisClient, RelaisError, type RelaisEvent } from '../dist/index.js';

const client = new RelaisClient({
  url: 'http://localhost:8080',
  token: async () => 'an access token',
  WebSocket,
  onEvent: (event: RelaisEvent) => console.log(event.type, event.offset),
});
client.command<{ head: number }>('stream.position').then(position => position.head.toFixed(), (error: RelaisError) => error.code);
