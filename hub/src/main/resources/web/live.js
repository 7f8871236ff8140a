// The live stream on /api/v1/ws: first-frame authentication, subscription with the last cursor (kept per
// account), acknowledgements of what was shown, and reconnection with backoff. After a cut, the cursor makes
// the hub send every event that was missed, once.
export class Live {
  constructor({ token, accountId, onEvent, onStatus, onSignedOut }) {
    this.onSignedOut = onSignedOut;
    this.token = token;
    this.cursorKey = `relais.cursor.${accountId}`;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.delay = 500;
    this.stopped = false;
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.socket) {
      this.socket.close(1000);
    }
  }

  /** A new access token: the open socket is told at once, the next one authenticates with it. */
  refreshed(token) {
    this.token = token;
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'refresh', token }));
    }
  }

  connect() {
    this.onStatus(this.everConnected ? 'reconnecting' : 'connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'auth', token: this.token }));
      const cursor = localStorage.getItem(this.cursorKey);
      socket.send(JSON.stringify(cursor ? { type: 'subscribe', cursor: JSON.parse(cursor) } : { type: 'subscribe' }));
    };
    socket.onmessage = (message) => this.handle(JSON.parse(message.data));
    socket.onclose = (close) => {
      console.warn(`live socket closed: ${close.code} ${close.reason}`);
      if (this.socket !== socket || this.stopped) {
        return;
      }
      if (close.code === 4001 || close.code === 4003) { // no valid session any more: log in again
        this.stopped = true;
        this.onSignedOut();
        return;
      }
      if (close.code === 4010) { // the stream was reset: start again from its head
        localStorage.removeItem(this.cursorKey);
      }
      this.onStatus('reconnecting');
      const wait = Math.min(this.delay, 10000) * (0.75 + Math.random() / 2);
      this.delay = Math.min(this.delay * 2, 10000);
      setTimeout(() => this.connect(), wait);
    };
  }

  handle(frame) {
    if (frame.type === 'subscribed') {
      this.everConnected = true;
      this.delay = 500;
      this.remember(frame.epoch, frame.offset);
      this.onStatus('live');
    } else if (frame.type.includes('.')) {
      this.onEvent(frame);
      this.remember(frame.epoch, frame.offset);
      this.socket.send(JSON.stringify({ type: 'ack', offset: frame.offset }));
    }
  }

  remember(epoch, offset) {
    localStorage.setItem(this.cursorKey, JSON.stringify({ epoch, offset }));
  }
}
