import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelaisClient, RelaisError } from '../dist/index.js';
import { eventually, HUB_URL, labResult, recordingWebSocket, setting } from './support.mjs';

const PATIENT_ID = setting('PATIENT_ID');
const LAB_TOKEN = setting('LAB_TOKEN');

test('a command gives its result, a refusal its code, and a write waits for the reconnection', { timeout: 60_000 }, async () => {
  const network = recordingWebSocket();
  const heard = [];
  const lab = new RelaisClient({
    url: HUB_URL, token: () => LAB_TOKEN, WebSocket: network.WebSocket, minBackoffMs: 20, maxBackoffMs: 200,
    onEvent: event => { heard.push(event); },
  });
  const unreachable = recordingWebSocket();
  unreachable.refuseConnections = true;
  const cutOff = new RelaisClient({
    url: HUB_URL, token: () => LAB_TOKEN, WebSocket: unreachable.WebSocket, minBackoffMs: 20, maxBackoffMs: 100,
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

    // the hub unreachable: a command waits, unsent, and goes once the client is back
    network.refuseConnections = true;
    network.cut();
    await eventually('a refused reconnection', () => network.refused() >= 1);
    const ferritin = lab.command('document.deposit', labResult(PATIENT_ID, 'Ferritine'), 'ts-ferritine-1');
    await eventually('another refused attempt with the command waiting', () => network.refused() >= 2);
    assert.equal(network.sentFrames('command').length, 5, 'nothing sent while disconnected');
    network.refuseConnections = false;
    const deposited = await ferritin;
    assert.equal(typeof deposited.id, 'string');
    assert.equal(network.current().sent.filter(frame => frame.type === 'command').length, 1);

    // the system's own stream tells of each deposit once, even the one deposited twice
    await eventually('both deposits accepted on the lab stream', () => heard.length >= 2);
    assert.deepEqual(heard.map(event => [event.type, event.data.documentId]),
      [['document.accepted', first.id], ['document.accepted', deposited.id]]);

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
