package fr.relais.gateway.ws;

/** The close codes of the WebSocket API (documented in docs/API.md and docs/asyncapi.yaml). */
public final class CloseCodes {
    public static final short NORMAL = 1000;
    public static final short GOING_AWAY = 1001;          // the node is shutting down: reconnect elsewhere
    public static final short TOO_BIG = 1009;             // a frame over ws.maxFrameSize
    public static final short PROTOCOL_ERROR = 4000;      // binary frames or other misuse
    public static final short UNAUTHENTICATED = 4001;     // no valid credentials within ws.authTimeout
    public static final short TOKEN_EXPIRED = 4002;       // the access token expired and was not refreshed
    public static final short SESSION_REVOKED = 4003;     // logout, closed space, stolen refresh token
    public static final short SLOW_CONSUMER = 4004;       // more than ws.maxOutboundBytes waiting for the client
    public static final short TOO_MANY_CONNECTIONS = 4006; // over ws.maxConnectionsPerPrincipal
    public static final short RATE_LIMITED = 4008;        // over ws.maxMessagesPerSecond
    public static final short STREAM_RESET = 4010;        // the stream's history was reset: subscribe without cursor
    public static final short IDLE = 4011;                // nothing heard within ws.idleTimeout

    private CloseCodes() {
    }
}
