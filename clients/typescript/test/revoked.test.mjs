import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelaisClient } from '../dist/index.js';
import { eventually, HUB_URL, patient, recordingWebSocket, rest } from './support.mjs';

const { token } = patient('revoked');

test('a logout ends the client with revoked and it does not reconnect', { timeout: 60_000 }, async () => {
  const network = recordingWebSocket();
  const stops = [];
  const drops = [];
  let tokensAsked = 0;
  const client = new RelaisClient({
    url: HUB_URL,
    token: () => { tokensAsked++; return token(); },
    WebSocket: network.WebSocket,
    minBackoffMs: 10,
    maxBackoffMs: 20,
    onStopped: reason => { stops.push(reason); },
    onDisconnected: closed => { drops.push(closed); },
  });
  await client.start();
  const started = client.start();

  const logout = await rest('POST', '/api/v1/auth/logout', await token());
  assert.equal(logout.status, 204, logout.text);

  await eventually('the client to stop', () => stops.length > 0);
  assert.deepEqual(stops, ['revoked']);
  assert.equal(client.status, 'stopped');
  await eventually('the hub\'s close code seen by the socket', () => network.current().closeCode !== undefined);
  assert.equal(network.current().closeCode, 4003, 'the hub closed the socket as revoked');
  assert.deepEqual(drops, [], 'not a passing drop');
  // had it tried again, it would have asked a token and opened a second socket before any stop was reported
  assert.equal(network.sockets.length, 1, 'no second socket');
  assert.equal(tokensAsked, 1, 'no token asked for a reconnection');
  await started;
  await assert.rejects(client.command('stream.position'), { code: 'closed' });
});
