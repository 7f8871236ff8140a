import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelaisClient, RelaisError } from '../dist/index.js';
import { eventually, HUB_URL, labResult, labToken, patient, recordingWebSocket, rest } from './support.mjs';

const PATIENT_ID = patient('live').id;

test('a command gives its result, a refusal its code, and a write waits for the reconnection', { timeout: 60_000 }, async () => {
  const network = recordingWebSocket();
  const heard = [];
  const lab = new RelaisClient({
    url: HUB_URL, token: labToken, WebSocket: network.WebSocket, minBackoffMs: 20, maxBackoffMs: 200,
    onEvent: event => { heard.push(event); },
  });
  const unreachable = recordingWebSocket();
  unreachable.refuseConnections = true;
  const cutOff = new RelaisClient({
    url: HUB_URL, token: labToken, WebSocket: unreachable.WebSocket, minBackoffMs: 20, maxBackoffMs: 100,
    commandTimeoutMs: 300,
  });
  try {
    await lab.start();
    const position = await lab.command('stream.position');
    assert.equal(typeof position.epoch, 'string');
    assert.equal(typeof position.head, 'number');

    const glycemia = labResult(PATIENT_ID, 'Glycémie');
    const first = await lab.command('document.deposit', glycemia, 'ts-glycemie-1');
    const again = await lab.command('document.deposit', glycemia, 'ts-glycemie-1');
    assert.equal(again.id, first.id, 'the same key gives the same document');
    assert.equal(again.replayed, true);
    const reused = await lab.command('document.deposit', { ...glycemia, title: 'Autre' }, 'ts-glycemie-1').catch(error => error);
    assert.ok(reused instanceof RelaisError, `a refusal is a RelaisError: ${reused}`);
    assert.equal(reused.code, 'idempotency_key_reused');
    await assert.rejects(lab.command('no.such.operation'), { name: 'RelaisError', code: 'unknown_operation' });

    // each command frame has its own id, answered once by the hub with that id
    const commandIds = network.sentFrames('command').map(frame => frame.id);
    assert.equal(new Set(commandIds).size, 5);
    const answers = network.current().received.filter(frame => frame.type === 'result' || (frame.type === 'error' && frame.id));
    assert.deepEqual(answers.map(frame => frame.id).sort(), [...commandIds].sort());

    // a command larger than a frame is refused here: sent, it would close the socket, and with its key be sent again
    const scan = { ...labResult(PATIENT_ID, 'Imagerie'), data: Buffer.alloc(60_000).toString('base64') };
    await assert.rejects(lab.command('document.deposit', scan, 'ts-imagerie-1'), { code: 'frame_too_large' });
    assert.equal(network.sentFrames('command').length, 5, 'it was not sent');

    // the answers lost with the network: a keyed write is sent again on the next socket and runs once; a query
    // without a key cannot be told apart from one that never ran
    network.withholdAnswers = true;
    const calcium = lab.command('document.deposit', labResult(PATIENT_ID, 'Calcium'), 'ts-calcium-1');
    const query = lab.command('stream.position');
    await eventually('both answered by the hub, and withheld', () => network.current().withheld.length === 2);
    const calciumFrame = network.current().sent.find(frame => frame.idempotencyKey === 'ts-calcium-1');
    const madeBeforeTheCut = network.current().withheld.find(frame => frame.id === calciumFrame.id).result.id;
    network.withholdAnswers = false;
    network.cut();
    await assert.rejects(query, { code: 'disconnected' });
    const calciumAgain = await calcium;
    assert.equal(calciumAgain.id, madeBeforeTheCut, 'the document the hub made before the cut');
    assert.equal(calciumAgain.replayed, true, 'answered from the first run');
    assert.deepEqual(network.current().sent.filter(frame => frame.type === 'command').map(frame => frame.idempotencyKey),
      ['ts-calcium-1'], 'the keyed write was sent again, the query was not');
    const deposits = await rest('GET', '/api/v1/deposits?limit=200', await labToken());
    assert.equal(deposits.json.items.filter(item => item.idempotencyKey === 'ts-calcium-1').length, 1, 'one document');

    // the hub unreachable: a command waits, unsent, and goes once the client is back
    const sentBefore = network.sentFrames('command').length;
    network.refuseConnections = true;
    network.cut();
    await eventually('a refused reconnection', () => network.refused() >= 1);
    const ferritin = lab.command('document.deposit', labResult(PATIENT_ID, 'Ferritine'), 'ts-ferritine-1');
    await eventually('another refused attempt with the command waiting', () => network.refused() >= 2);
    assert.equal(network.sentFrames('command').length, sentBefore, 'nothing sent while disconnected');
    network.refuseConnections = false;
    const deposited = await ferritin;
    assert.equal(typeof deposited.id, 'string');
    assert.equal(network.current().sent.filter(frame => frame.type === 'command').length, 1);

    // the system's own stream tells of each deposit once, even the one deposited twice
    await eventually('the deposits accepted on the lab stream', () => heard.length >= 3);
    assert.deepEqual(heard.map(event => [event.type, event.data.documentId]),
      [['document.accepted', first.id], ['document.accepted', calciumAgain.id], ['document.accepted', deposited.id]]);

    // a client that never reaches the hub fails its command clearly, without sending it
    cutOff.start();
    await assert.rejects(cutOff.command('stream.position'), { code: 'not_connected' });
    assert.equal(unreachable.sentFrames('command').length, 0);
  } finally {
    lab.close();
    cutOff.close();
  }
  await assert.rejects(lab.command('stream.position'), { code: 'closed' }, 'a closed client sends nothing');
});
