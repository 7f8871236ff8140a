import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelaisClient } from '../dist/index.js';
import { deposit, eventually, HUB_URL, patient, recordingWebSocket } from './support.mjs';

const { id: PATIENT_ID, token } = patient('resume');

test('after cuts, including one while events are written, every event arrives once and in order', { timeout: 90_000 }, async () => {
  const network = recordingWebSocket();
  const delivered = [];
  const lost = [];
  let tokensAsked = 0;
  const client = new RelaisClient({
    url: HUB_URL,
    token: () => { tokensAsked++; return token(); },
    WebSocket: network.WebSocket,
    minBackoffMs: 20,
    maxBackoffMs: 200,
    onEvent: event => { delivered.push(event); },
    onHistoryLost: loss => { lost.push(loss); },
  });
  // once the client is subscribed, the lab writes until told to stop, so that every cut falls while events are written
  const started = client.start();
  const written = [];
  let writing = true;
  let writeError;
  const writer = (async () => {
    await started;
    while (writing && written.length < 300) {
      written.push(await deposit(PATIENT_ID, `Resume ${written.length + 1}`));
    }
  })().catch(error => { writeError = error; });
  const progress = what => () => `${what}; delivered ${delivered.length} of ${written.length} written${writeError ? `, ${writeError}` : ''}`;
  const subscriptions = () => network.reached().filter(socket => socket.received.some(frame => frame.type === 'subscribed')).length;
  const deliveredAtLeast = async (n, what) => eventually(progress(what), () => delivered.length >= n);
  try {
    await started;

    // 1. the network drops the connection (no close frame)
    await deliveredAtLeast(4, 'a few events before the first cut');
    network.cut();
    await eventually(progress('the second subscription'), () => subscriptions() === 2);

    // 2. cut again and keep the hub unreachable while more documents are written: those must be replayed
    await deliveredAtLeast(delivered.length + 3, 'more events before the second cut');
    network.refuseConnections = true;
    network.cut();
    const writtenWhenCut = written.length;
    await eventually(progress('two refused attempts and documents written meanwhile'),
      () => network.refused() >= 2 && written.length >= writtenWhenCut + 5);
    network.refuseConnections = false;
    await eventually(progress('the third subscription'), () => subscriptions() === 3);

    // 3. a resubscription from a cursor three events too old (a client restored from a stale saved cursor): the hub
    // replays events the application has had already, and the client must drop them
    await deliveredAtLeast(delivered.length + 3, 'more events before the third cut');
    network.rewindNextSubscribe = 3;
    network.cut();
    await eventually(progress('the fourth subscription'), () => subscriptions() === 4);

    await deliveredAtLeast(delivered.length + 3, 'events after the last cut');
    writing = false;
    await writer;
    assert.equal(writeError, undefined);
    // a last document, live: anything repeated or late would come before it
    written.push(await deposit(PATIENT_ID, 'Resume last'));
    await eventually(progress('the last document'), () => delivered.some(event => event.data.documentId === written.at(-1)));

    assert.deepEqual(delivered.map(event => event.data.documentId), written, 'every document once, in the order written');
    const offsets = delivered.map(event => event.offset);
    offsets.forEach((offset, i) => i > 0 && assert.equal(offset, offsets[i - 1] + 1, `no offset skipped or repeated: ${offsets}`));
    assert.deepEqual(lost, [], 'nothing was lost: every resubscription recovered');

    // what went over the wire
    const sockets = network.reached();
    assert.equal(sockets.length, 4, 'one socket per cut, plus the first');
    assert.equal(tokensAsked, 4 + network.refused(), 'a token asked before each attempt');
    let lastReceived;
    sockets.forEach((socket, i) => {
      const subscribe = socket.sent.find(frame => frame.type === 'subscribe');
      const events = socket.received.filter(frame => frame.type.includes('.'));
      if (i > 0) {
        const expected = i === 3 ? lastReceived.offset - 3 : lastReceived.offset;
        assert.deepEqual(subscribe.cursor, { epoch: lastReceived.epoch, offset: expected },
          `socket ${i + 1} resubscribes from the last event received before the cut`);
        assert.equal(events[0].offset, expected + 1, `socket ${i + 1} starts right after its cursor`);
      }
      if (events.length > 0) {
        lastReceived = events.at(-1);
      }
    });
    const replayedAfterOutage = sockets[2].received.findIndex(frame => frame.type === 'subscribed');
    assert.ok(replayedAfterOutage >= 5, `after the outage the hub replayed what was written meanwhile (${replayedAfterOutage} events)`);
    assert.equal(network.eventFrames().length, delivered.length + 3, 'the hub sent the three stale events again; the application had them once');
  } finally {
    writing = false;
    client.close();
    await writer;
  }
});
