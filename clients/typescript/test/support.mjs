// What the tests share: the hub given by the environment, its people's tokens, REST calls, a recording WebSocket,
// polling with deadlines.
import WS from 'ws';

export function setting(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run against a hub (TypeScriptClientTest in the hub module sets `
      + 'HUB_URL, PATIENTS, LAB_CLIENT_ID and LAB_CLIENT_SECRET)');
  }
  return value;
}

export const HUB_URL = setting('HUB_URL');
const PATIENTS = JSON.parse(setting('PATIENTS'));
const PDF = Buffer.from('%PDF-1.7\n%%EOF\n', 'ascii').toString('base64');

/**
 * Hands out access tokens as an application does: asks `fetchPair()` for one and keeps it for half its life
 * (measured here, on the monotonic clock), one request at a time (a refresh token is spent once).
 */
function tokenSource(fetchPair) {
  let current;
  let renewAt = 0;
  let asking;
  return () => {
    if (current !== undefined && performance.now() < renewAt) {
      return Promise.resolve(current);
    }
    asking ??= fetchPair().then(({ accessToken, expiresIn }) => {
      current = accessToken;
      renewAt = performance.now() + expiresIn * 500;
      return accessToken;
    }).finally(() => { asking = undefined; });
    return asking;
  };
}

/** The patient the hub set up for one test file (`live`, `resume`, `revoked`, `refresh`): their id and a `token()`. */
export function patient(name) {
  const { id, refreshToken } = PATIENTS[name];
  let spendable = refreshToken;
  const token = tokenSource(async () => {
    const answer = await rest('POST', '/api/v1/auth/refresh', undefined, { refreshToken: spendable });
    if (answer.status !== 200) {
      throw new Error(`refresh of ${name}: ${answer.status} ${answer.text}`);
    }
    spendable = answer.json.refreshToken;
    return answer.json;
  });
  return { id, token };
}

/** The lab system's tokens (documents:write, stream:read), by client credentials. */
export const labToken = tokenSource(async () => {
  const credentials = Buffer.from(`${setting('LAB_CLIENT_ID')}:${setting('LAB_CLIENT_SECRET')}`).toString('base64');
  const response = await fetch(new URL('/api/v1/oauth/token', HUB_URL), {
    method: 'POST',
    headers: { Authorization: `Basic ${credentials}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const answer = await response.json();
  if (response.status !== 200) {
    throw new Error(`the lab's token: ${response.status} ${JSON.stringify(answer)}`);
  }
  return { accessToken: answer.access_token, expiresIn: answer.expires_in };
});

/** The body of a lab result for the patient `patientId`; a fixed care date, whatever today is. */
export function labResult(patientId, title) {
  return { patientId, kind: 'lab_result', title, careDate: '2024-03-01', contentType: 'application/pdf', data: PDF };
}

export async function rest(method, path, token, body, headers = {}) {
  const response = await fetch(new URL(path, HUB_URL), {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

/** A lab's deposit over REST, which puts a document.arrived event in the patient's stream; the document's id. */
export async function deposit(patientId, title) {
  const answer = await rest('POST', '/api/v1/documents', await labToken(), labResult(patientId, title));
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
    /** While set, the hub's answers to commands are recorded but not given to the client (lost with the network). */
    withholdAnswers: false,
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
      this.record = { ws: this, refused, sent: [], received: [], withheld: [], closeCode: undefined };
      recording.sockets.push(this.record);
      this.on('message', data => this.record.received.push(JSON.parse(data.toString())));
      this.on('close', code => { this.record.closeCode = code; });
    }

    get onmessage() {
      return super.onmessage;
    }

    set onmessage(handler) {
      super.onmessage = handler === null ? null : event => {
        const frame = JSON.parse(event.data);
        if (recording.withholdAnswers && (frame.type === 'result' || (frame.type === 'error' && frame.id))) {
          this.record.withheld.push(frame);
        } else {
          handler(event);
        }
      };
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
