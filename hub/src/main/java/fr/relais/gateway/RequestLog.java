package fr.relais.gateway;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each request an id (the caller's {@code X-Request-Id} when it is a safe token, else a new one), returns
 * it in the response, and logs one line per request when the response is sent. The line holds the method, the
 * path without its query string, the status, the size and the duration: never a body or a query, which could
 * carry health data.
 */
final class RequestLog {
    static final String HEADER = "X-Request-Id";
    private static final String KEY = "requestId";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger log = LoggerFactory.getLogger("relais.request");

    private RequestLog() {
    }

    static void handle(RoutingContext ctx) {
        String offered = ctx.request().getHeader(HEADER);
        String id = offered != null && SAFE_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        long started = System.nanoTime();
        ctx.addEndHandler(done -> {
            long millis = (System.nanoTime() - started) / 1_000_000;
            int status = ctx.response().getStatusCode();
            log.atInfo()
                    .addKeyValue("requestId", id)
                    .addKeyValue("method", ctx.request().method().name())
                    .addKeyValue("path", ctx.request().path())
                    .addKeyValue("status", status)
                    .addKeyValue("bytes", ctx.response().bytesWritten())
                    .addKeyValue("millis", millis)
                    .log("{} {} {} {}ms id={}", ctx.request().method().name(), ctx.request().path(), status, millis, id);
        });
        ctx.next();
    }

    static String requestId(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
