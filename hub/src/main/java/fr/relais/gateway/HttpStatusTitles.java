package fr.relais.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The standard reason phrase of a status, used as the problem's {@code title}. */
final class HttpStatusTitles {
    private HttpStatusTitles() {
    }

    static String of(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
