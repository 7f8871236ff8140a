import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelaisClient } from '../dist/index.js';
import { deposit, eventually, HUB_URL, recordingWebSocket, setting } from './support.mjs';

const PATIENT_ID = setting('PATIENT_ID');
const PATIENT_TOKEN = setting('PATIENT_TOKEN');
const LAB_TOKEN = setting('LAB_TOKEN');

test("a patient's client receives deposits live, once each, and acknowledges them", { timeout: 60_000 }, async () => {
  const network = recordingWebSocket();
  const delivered = [];
  const client = new RelaisClient({
    url: HUB_URL, token: () => PATIENT_TOKEN, WebSocket: network.WebSocket, onEvent: event => { delivered.push(event); },
  });
  try {
    await client.start();
    const socket = network.current();
    assert.deepEqual(socket.sent.map(frame => frame.type), ['auth', 'subscribe']);
    assert.equal(socket.sent[1].cursor, undefined, 'a first start subscribes from the head, without a cursor');

    const deposited = [];
    for (let n = 1; n <= 4; n++) {
      deposited.push(await deposit(LAB_TOKEN, PATIENT_ID, `Live ${n}`));
      // live: each document reaches the application before the next one is even deposited
      await eventually(`document ${n} delivered`, () => delivered.length === n);
    }
    assert.deepEqual(delivered.map(event => event.type), Array(4).fill('document.arrived'));
    assert.deepEqual(delivered.map(event => event.data.documentId), deposited);
    const offsets = delivered.map(event => event.offset);
    offsets.forEach((offset, i) => i > 0 && assert.equal(offset, offsets[i - 1] + 1, `offsets follow: ${offsets}`));
    assert.deepEqual(client.position, { epoch: delivered[0].epoch, offset: offsets.at(-1) });

    const received = socket.received.filter(frame => frame.type.includes('.'));
    assert.equal(received.length, 4, 'the hub sent each event once');
    assert.ok(socket.received.findIndex(frame => frame.type === 'subscribed')
      < socket.received.findIndex(frame => frame.type.includes('.')), 'they came live, after the subscription');

    // acknowledged automatically: cumulative and coalesced, never beyond what was delivered
    const acked = await eventually('the last event acknowledged, as the hub keeps it', async () => {
      const position = await client.command('stream.position');
      return position.acked === offsets.at(-1) && position;
    }, { everyMs: 250 });
    assert.equal(acked.head, offsets.at(-1));
    const acks = network.sentFrames('ack').map(frame => frame.offset);
    assert.ok(acks.length >= 1 && acks.length <= 4, `one ack per event at most: ${acks}`);
    acks.forEach(offset => assert.ok(offsets.includes(offset), `acks name delivered offsets: ${acks}`));
    assert.equal(network.sockets.length, 1, 'one socket all along');
  } finally {
    client.close();
  }
});
