package fr.relais.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline of the messaging scenarios, in its own process: the least work a persisting hub must do. A
 * recipient holds a WebSocket (its name as the bearer token, {@code subscribe} answered with {@code subscribed});
 * {@code POST /send {to, id, body}} does one autocommit INSERT into its own table of the hub's PostgreSQL and,
 * once it returns, writes one frame {@code {"type":"message.created","offset":n,"data":{"messageId":id}}} to the
 * recipient's socket ({@code n} counts per recipient, as a hub stream's offset does) and answers 200 {@code {id}}.
 * The frame and the answer have the hub's shapes, so the same generator measures both. The same send comes as a
 * socket command too ({@code {"type":"command","id":…,"args":{to, id, body}}}, answered {@code result} with the id),
 * for the scenarios where the hub is written to over its socket.
 *
 * <p>{@code PersistingRelay <port>}, the database in RELAIS_BENCH_PG_* (host, port, database, user, password).
 */
public final class PersistingRelay {
    private static final String INSERT = "INSERT INTO relay_message (id, recipient, body) VALUES ($1, $2, $3)";

    /** A recipient's socket and its counter, touched only on the socket's own event loop. */
    private static final class Recipient {
        final ServerWebSocket socket;
        final Context context;
        long offset;

        Recipient(ServerWebSocket socket, Context context) {
            this.socket = socket;
            this.context = context;
        }
    }

    private PersistingRelay() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Map<String, String> env = System.getenv();
        PgConnectOptions database = new PgConnectOptions().setHost(env.get("RELAIS_BENCH_PG_HOST"))
                .setPort(Integer.parseInt(env.get("RELAIS_BENCH_PG_PORT"))).setDatabase(env.get("RELAIS_BENCH_PG_DATABASE"))
                .setUser(env.get("RELAIS_BENCH_PG_USER")).setPassword(env.get("RELAIS_BENCH_PG_PASSWORD"))
                .setCachePreparedStatements(true);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(32)).connectingTo(database).using(vertx).build();
        pool.query("CREATE TABLE IF NOT EXISTS relay_message (id text PRIMARY KEY, recipient text NOT NULL, body text NOT NULL,"
                + " at timestamptz NOT NULL DEFAULT now())").execute().await();
        Map<String, Recipient> recipients = new ConcurrentHashMap<>();
        // one server per core, as the hub's gateway (http.instances 0)
        vertx.deployVerticle(() -> new Server(port, pool, recipients),
                new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
        System.out.println("relay listening on " + port);
    }

    private static final class Server extends VerticleBase {
        private final int port;
        private final Pool pool;
        private final Map<String, Recipient> recipients;

        Server(int port, Pool pool, Map<String, Recipient> recipients) {
            this.port = port;
            this.pool = pool;
            this.recipients = recipients;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer().webSocketHandler(this::connected).requestHandler(this::send)
                    .listen(port, "127.0.0.1");
        }

        private void connected(ServerWebSocket ws) {
            String authorization = ws.headers().get("Authorization");
            String name = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
            Recipient recipient = new Recipient(ws, context);
            recipients.put(name, recipient);
            ws.closeHandler(v -> recipients.remove(name, recipient));
            ws.textMessageHandler(text -> {
                if (text.contains("\"subscribe\"")) {
                    ws.writeTextMessage("{\"type\":\"subscribed\",\"offset\":" + recipient.offset + "}");
                } else if (text.contains("\"command\"")) {
                    JsonObject command = new JsonObject(text);
                    String commandId = command.getString("id");
                    deliver(command.getJsonObject("args")).onComplete(done -> ws.writeTextMessage(done.succeeded()
                            ? "{\"type\":\"result\",\"id\":\"" + commandId + "\",\"result\":{\"id\":\"" + done.result() + "\"}}"
                            : "{\"type\":\"error\",\"id\":\"" + commandId + "\",\"code\":\"failed\"}"));
                }
            });
        }

        /** One autocommit INSERT, then the frame to the recipient's socket; the message's id. */
        private Future<String> deliver(JsonObject message) {
            String id = message.getString("id");
            String to = message.getString("to");
            return pool.preparedQuery(INSERT).execute(Tuple.of(id, to, message.getString("body"))).map(rows -> {
                Recipient recipient = recipients.get(to);
                if (recipient != null) {
                    recipient.context.runOnContext(v -> recipient.socket.writeTextMessage(
                            "{\"type\":\"message.created\",\"offset\":" + (++recipient.offset)
                                    + ",\"data\":{\"messageId\":\"" + id + "\"}}"));
                }
                return id;
            });
        }

        private void send(HttpServerRequest request) {
            request.body().compose(body -> deliver(body.toJsonObject())).onComplete(done -> {
                if (done.succeeded()) {
                    request.response().putHeader("Content-Type", "application/json").end("{\"id\":\"" + done.result() + "\"}");
                } else {
                    request.response().setStatusCode(500).end(String.valueOf(done.cause()));
                }
            });
        }
    }
}
