import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCursorStore, RelaisClient } from '../dist/index.js';
import { deposit, eventually, HUB_URL, patient, recordingWebSocket } from './support.mjs';

const { id: PATIENT_ID, token } = patient('live');

test("a patient's client receives deposits live, once each, and acknowledges them", { timeout: 60_000 }, async () => {
  const network = recordingWebSocket();
  const delivered = [];
  const client = new RelaisClient({
    url: HUB_URL, token, WebSocket: network.WebSocket, onEvent: event => { delivered.push(event); },
  });
  try {
    await client.start();
    const socket = network.current();
    assert.deepEqual(socket.sent.map(frame => frame.type), ['auth', 'subscribe']);
    assert.equal(socket.sent[1].cursor, undefined, 'a first start subscribes from the head, without a cursor');

    const deposited = [];
    for (let n = 1; n <= 4; n++) {
      deposited.push(await deposit(PATIENT_ID, `Live ${n}`));
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

test('a cursor the hub cannot read is said lost and the client goes on from the head; a callback that throws stops nothing', { timeout: 60_000 }, async () => {
  const network = recordingWebSocket();
  const unreadable = { epoch: 'kept-by-an-older-version', offset: -1 };
  const errors = [];
  const lost = [];
  const delivered = [];
  const client = new RelaisClient({
    url: HUB_URL, token, WebSocket: network.WebSocket, cursorStore: new MemoryCursorStore(unreadable),
    onSubscribed: () => { throw new Error('a fault of the application'); },
    onHistoryLost: loss => { lost.push(loss); },
    onEvent: event => { delivered.push(event); },
    onError: error => { errors.push(error); throw new Error('and one of its error handler'); },
  });
  try {
    await client.start();
    assert.deepEqual(network.current().sent.filter(frame => frame.type === 'subscribe').map(frame => frame.cursor),
      [unreadable, undefined], 'refused, the cursor is dropped and the socket subscribes again from the head');
    await eventually('the loss reported', () => lost.length === 1);
    assert.equal(lost[0].cause, 'cursor_not_recovered');
    const id = await deposit(PATIENT_ID, 'Après un curseur illisible');
    await eventually('the next document delivered', () => delivered.length === 1);
    assert.equal(delivered[0].data.documentId, id);
    assert.equal(delivered[0].offset, lost[0].cursor.offset + 1);
    assert.deepEqual(errors.map(error => error.code ?? error.message), ['invalid_cursor', 'a fault of the application']);
    assert.equal(network.sockets.length, 1);
  } finally {
    client.close();
  }
});
