import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelaisClient } from '../dist/index.js';
import { deposit, eventually, HUB_URL, labToken, patient, recordingWebSocket } from './support.mjs';

const { id: PATIENT_ID, token } = patient('refresh');

// The hub of these tests gives tokens of 30 s (its shortest) and no clock skew, so a socket that kept its first
// token is closed with 4002 about 30 s after it was issued.
test('a socket outlives its token: the client gives it a new one before it ends, and a refused one changes nothing', { timeout: 90_000 }, async () => {
  const network = recordingWebSocket();
  const delivered = [];
  const drops = [];
  let tokens = token;
  const client = new RelaisClient({
    url: HUB_URL, token: () => tokens(), WebSocket: network.WebSocket,
    onEvent: event => { delivered.push(event); },
    onDisconnected: closed => { drops.push(closed); },
  });
  try {
    await client.start();
    const connectedAt = performance.now();

    tokens = labToken; // another account's token: the hub refuses it, the socket keeps its own
    await assert.rejects(client.refresh(), { name: 'RelaisError', code: 'principal_mismatch' });
    tokens = token;

    await eventually('a refresh the client made by itself', () => network.current().received.some(frame => frame.type === 'refreshed'),
      { timeoutMs: 40_000, everyMs: 200 });
    await eventually('the first token\'s end, and two seconds more', () => performance.now() - connectedAt > 32_000,
      { timeoutMs: 40_000, everyMs: 200 });
    const id = await deposit(PATIENT_ID, 'Après le premier jeton');
    await eventually('the document delivered', () => delivered.some(event => event.data.documentId === id));

    assert.deepEqual(drops, [], 'never dropped');
    assert.equal(network.sockets.length, 1, 'one socket all along');
    const refreshes = network.current().sent.filter(frame => frame.type === 'refresh');
    assert.equal(refreshes.length, 2, 'the refused refresh, then the client\'s own');
    assert.notEqual(refreshes[1].token, network.current().sent[0].token, 'a new token, not the first one again');
  } finally {
    client.close();
  }
});
