package fr.relais.gateway;

import fr.relais.web.AddressRange;
import fr.relais.web.Requests;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the caller's address for rate limits and logs. It is the peer's address, unless the peer is one of the
 * trusted proxies ({@code http.trustedProxies}, addresses or CIDR ranges): then it is the nearest address in
 * {@code X-Forwarded-For} that is not a trusted proxy. A client cannot forge its address by sending the header
 * itself, since only what trusted proxies appended is believed.
 */
final class ClientAddress implements Handler<RoutingContext> {
    private final List<AddressRange> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(AddressRange::parse).toList();
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(Requests.CLIENT_ADDRESS, resolve(Requests.peer(ctx), ctx.request().headers().getAll("X-Forwarded-For")));
        ctx.next();
    }

    String resolve(String peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = forwardedFor.stream().flatMap(h -> Arrays.stream(h.split(",")))
                .map(String::trim).filter(hop -> !hop.isEmpty()).toList();
        String client = peer;
        for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
            client = hops.get(i);
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = AddressRange.literal(address);
        return bytes != null && trusted.stream().anyMatch(range -> range.contains(bytes));
    }
}
