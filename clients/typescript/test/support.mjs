// What the tests share: the hub given by the environment, REST calls, a recording WebSocket, polling with deadlines.
import WS from 'ws';

export function setting(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run against a hub (TypeScriptClientTest in the hub module sets `
      + 'HUB_URL, PATIENT_ID, PATIENT_TOKEN, REVOKED_PATIENT_TOKEN and LAB_TOKEN)');
  }
  return value;
}

export const HUB_URL = setting('HUB_URL');
const PDF = Buffer.from('%PDF-1.7\n%%EOF\n', 'ascii').toString('base64');

/** The body of a lab result for the patient `patientId`; a fixed care date, whatever today is. */
export function labResult(patientId, title) {
  return { patientId, kind: 'lab_result', title, careDate: '2024-03-01', contentType: 'application/pdf', data: PDF };
}

export async function rest(method, path, token, body, headers = {}) {
  const response = await fetch(new URL(path, HUB_URL), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

/** A lab's deposit over REST, which puts a document.arrived event in the patient's stream; the document's id. */
export async function deposit(labToken, patientId, title) {
  const answer = await rest('POST', '/api/v1/documents', labToken, labResult(patientId, title));
  if (answer.status !== 201) {
    throw new Error(`deposit of ${title}: ${answer.status} ${answer.text}`);
  }
  return answer.json.id;
}

/**
 * Polls `probe` until it returns something truthy, or fails after `timeoutMs` with what it last saw. Deadlines use
 * the monotonic clock, never the time of day.
 */
export async function eventually(what, probe, { timeoutMs = 15_000, everyMs = 20 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = await probe();
    if (seen) {
      return seen;
    }
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise(resolve => setTimeout(resolve, everyMs));
  }
}

/**
 * A `ws` WebSocket for the client that records every frame each socket sent and received and its close code, and
 * lets a test cut the network: `cut()` drops the current socket's TCP connection (no close frame), and while
 * `refuseConnections` is set new sockets go to a closed port, as if the hub were unreachable.
 */
export function recordingWebSocket() {
  const recording = {
    sockets: [],
    refuseConnections: false,
    /** The next subscribe frame's cursor goes back this many events (a client restored from a stale cursor). */
    rewindNextSubscribe: 0,
    reached: () => recording.sockets.filter(socket => !socket.refused),
    refused: () => recording.sockets.filter(socket => socket.refused).length,
    current: () => recording.reached().at(-1),
    cut: () => recording.current().ws.terminate(),
    /** Every event frame the hub sent, over all sockets, repeats included. */
    eventFrames: () => recording.reached().flatMap(socket => socket.received.filter(frame => frame.type.includes('.'))),
    sentFrames: type => recording.reached().flatMap(socket => socket.sent.filter(frame => frame.type === type)),
  };
  recording.WebSocket = class RecordingWebSocket extends WS {
    constructor(url) {
      const refused = recording.refuseConnections;
      super(refused ? 'ws://127.0.0.1:1/api/v1/ws' : url);
      this.record = { ws: this, refused, sent: [], received: [], closeCode: undefined };
      recording.sockets.push(this.record);
      this.on('message', data => this.record.received.push(JSON.parse(data.toString())));
      this.on('close', code => { this.record.closeCode = code; });
    }

    send(data, ...rest) {
      let frame = JSON.parse(data);
      if (frame.type === 'subscribe' && frame.cursor && recording.rewindNextSubscribe > 0) {
        frame = { ...frame, cursor: { ...frame.cursor, offset: frame.cursor.offset - recording.rewindNextSubscribe } };
        recording.rewindNextSubscribe = 0;
      }
      this.record.sent.push(frame);
      super.send(JSON.stringify(frame), ...rest);
    }
  };
  return recording;
}
