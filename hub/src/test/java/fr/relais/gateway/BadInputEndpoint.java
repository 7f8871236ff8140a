package fr.relais.gateway;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One line of {@link BadInputTest}'s table: a route, who calls it, and what a plausible request to it holds. Its
 * {@link #sweep} sends that request by every kind of caller, then makes each part of it hostile in turn (each body
 * field, query parameter, path segment and header) for the route's own callers.
 */
final class BadInputEndpoint {
    enum Caller { ANONYMOUS, PATIENT, PROFESSIONAL, ADMIN, INTEGRATOR, LIMITED_INTEGRATOR }

    /** A request as sent on the wire, and what it is in words for a failure report. */
    record Request(String description, String method, String target, Map<String, String> headers, byte[] body) {
    }

    final String method;
    final String route;
    private List<Caller> callers = List.of(Caller.ANONYMOUS);
    private Function<BadInputFixtures, JsonObject> json;
    private Function<BadInputFixtures, Map<String, String>> form;
    private Function<BadInputFixtures, Map<String, String>> query = f -> Map.of();
    private List<String> extraQueryNames = List.of();
    private List<String> headerNames = List.of();
    private Function<BadInputFixtures, String> id;
    private Function<BadInputFixtures, String> entry = f -> f.entry;
    private Function<BadInputFixtures, String> at;
    private String section = "allergies";
    private boolean endsSession;

    private BadInputEndpoint(String method, String route) {
        this.method = method;
        this.route = route;
    }

    static BadInputEndpoint get(String route) {
        return new BadInputEndpoint("GET", route);
    }

    static BadInputEndpoint post(String route) {
        return new BadInputEndpoint("POST", route);
    }

    static BadInputEndpoint put(String route) {
        return new BadInputEndpoint("PUT", route);
    }

    static BadInputEndpoint delete(String route) {
        return new BadInputEndpoint("DELETE", route);
    }

    BadInputEndpoint by(Caller... kinds) {
        callers = List.of(kinds);
        return this;
    }

    BadInputEndpoint json(Function<BadInputFixtures, JsonObject> body) {
        json = body;
        return this;
    }

    BadInputEndpoint form(Function<BadInputFixtures, Map<String, String>> body) {
        form = body;
        return this;
    }

    /** Query parameters the route reads, absent from the plausible request. */
    BadInputEndpoint query(String... names) {
        extraQueryNames = List.of(names);
        return this;
    }

    /** Query parameters the plausible request carries (already encoded). */
    BadInputEndpoint query(Function<BadInputFixtures, Map<String, String>> parameters) {
        query = parameters;
        return this;
    }

    BadInputEndpoint header(String... names) {
        headerNames = List.of(names);
        return this;
    }

    /** The value of the route's {@code :id}. */
    BadInputEndpoint id(Function<BadInputFixtures, String> value) {
        id = value;
        return this;
    }

    BadInputEndpoint entry(Function<BadInputFixtures, String> value) {
        entry = value;
        return this;
    }

    BadInputEndpoint section(String name) {
        section = name;
        return this;
    }

    BadInputEndpoint at(Function<BadInputFixtures, String> path) {
        at = path;
        return this;
    }

    /** The request ends the caller's session: each one is sent with a session of its own. */
    BadInputEndpoint endsSession() {
        endsSession = true;
        return this;
    }

    boolean endsSessions() {
        return endsSession;
    }

    String key() {
        return method + " " + route;
    }

    @Override
    public String toString() {
        return key() + (route.contains(":section") ? " (" + section + ")" : "") + " by " + callers;
    }

    /** Every kind of caller with the plausible request, then every hostile variant by the route's own callers. */
    void sweep(BadInputFixtures f, Function<Caller, String> tokens, Consumer<Request> send) {
        for (Caller caller : Caller.values()) {
            send.accept(request(f, tokens.apply(caller), "as " + caller));
        }
        for (Caller caller : callers) {
            String as = " as " + caller;
            Request plain = request(f, tokens.apply(caller), "");
            Function<String, Request> described = description -> request(f, tokens.apply(caller), description + as);
            if (json != null) {
                for (HostileInput.Variant variant : HostileInput.bodies(json.apply(f))) {
                    send.accept(withBody(described.apply(variant.description()), variant.change().apply(json.apply(f)).encode()));
                }
            }
            if (form != null) {
                formVariants(f, plain, described, as, send);
            }
            // a route that reads no body gets one broken body; the others get them all
            for (String body : json == null && form == null ? List.of("{") : HostileInput.BODIES) {
                send.accept(withBody(described.apply("body " + HostileInput.describe(body)), body));
            }
            send.accept(withHeader(withBody(plain, "{}"), "Content-Type", "text/plain", "a text/plain body" + as));
            for (String name : queryNames(f)) {
                for (String value : HostileInput.QUERY_VALUES) {
                    send.accept(request(f, tokens.apply(caller), "?" + name + "=" + HostileInput.describe(value) + as, name, value));
                }
            }
            String[] segments = route.split("/");
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].startsWith(":")) {
                    for (String value : HostileInput.PATH_VALUES) {
                        send.accept(withSegment(plain, i, value, segments[i] + "=" + HostileInput.describe(value) + as));
                    }
                }
            }
            for (String header : headerNames) {
                for (String value : List.of("a\u0000b", "", "x".repeat(300))) {
                    send.accept(withHeader(plain, header, value, header + ": " + HostileInput.describe(value) + as));
                }
            }
            if (caller != Caller.ANONYMOUS) {
                send.accept(withHeader(plain, "Authorization", "Bearer a\u0000b", "a bearer token with NUL" + as));
            }
            send.accept(withHeader(plain, "X-Request-Id", "a\u0000b", "X-Request-Id with NUL" + as));
        }
    }

    private void formVariants(BadInputFixtures f, Request plain, Function<String, Request> described, String as,
                              Consumer<Request> send) {
        for (String field : form.apply(f).keySet()) {
            for (String value : HostileInput.QUERY_VALUES) {
                Map<String, String> changed = new LinkedHashMap<>(form.apply(f));
                changed.put(field, value);
                send.accept(withBody(described.apply("form " + field + "=" + value), encodeForm(changed, false)));
            }
        }
        for (String basic : List.of("Basic !!!", "Basic " + base64("no-colon"), "Basic " + base64("a\u0000b:secret"),
                "Basic " + base64(f.integrator.getString("clientId") + ":%ZZ"))) {
            send.accept(withHeader(plain, "Authorization", basic, "Authorization: " + basic + as));
        }
    }

    private List<String> queryNames(BadInputFixtures f) {
        List<String> names = new ArrayList<>(query.apply(f).keySet());
        names.addAll(extraQueryNames);
        return names;
    }

    private Request request(BadInputFixtures f, String token, String description) {
        return request(f, token, description, null, null);
    }

    /** The plausible request with {@code token}, with query parameter {@code name} set to {@code value} if not null. */
    private Request request(BadInputFixtures f, String token, String description, String name, String value) {
        Map<String, String> parameters = new LinkedHashMap<>(query.apply(f));
        if (name != null) {
            parameters.put(name, value);
        }
        String target = path(f) + (parameters.isEmpty() ? "" : "?" + parameters.entrySet().stream()
                .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining("&")));
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        for (String header : headerNames) {
            headers.put(header, header.equals("Last-Event-ID") ? "" : "key-" + UUID.randomUUID());
        }
        byte[] body = null;
        if (json != null) {
            headers.put("Content-Type", "application/json");
            body = json.apply(f).encode().getBytes(StandardCharsets.UTF_8);
        } else if (form != null) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            body = encodeForm(form.apply(f), true).getBytes(StandardCharsets.UTF_8);
        } else if (!method.equals("GET") && !method.equals("DELETE")) {
            headers.put("Content-Type", "application/json");
            body = "{}".getBytes(StandardCharsets.UTF_8);
        }
        return new Request(key() + " " + description, method, target, headers, body);
    }

    private Request withBody(Request request, String body) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.putIfAbsent("Content-Type", form != null ? "application/x-www-form-urlencoded" : "application/json");
        return new Request(request.description(), request.method(), request.target(), headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private Request withHeader(Request request, String name, String value, String description) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put(name, value);
        return new Request(key() + " " + description, request.method(), request.target(), headers, request.body());
    }

    private Request withSegment(Request request, int index, String value, String description) {
        String[] parts = request.target().split("\\?", 2);
        String[] segments = parts[0].split("/");
        segments[index] = value;
        return new Request(key() + " " + description, request.method(),
                String.join("/", segments) + (parts.length > 1 ? "?" + parts[1] : ""), request.headers(), request.body());
    }

    private String path(BadInputFixtures f) {
        if (at != null) {
            return at.apply(f);
        }
        if (!route.contains(":")) {
            return route;
        }
        Map<String, String> values = Map.of(":patientId", f.patient.id().toString(), ":professionalId", f.pro2.id().toString(),
                ":rpps", f.rpps3, ":section", section, ":entryId", entry.apply(f), ":attachmentId", f.attachment,
                ":requestId", f.careRequest, ":blockId", f.systemBlock, ":clientId", f.app);
        return Stream.of(route.split("/")).map(segment -> segment.equals(":id") ? id.apply(f)
                : values.getOrDefault(segment, segment)).collect(Collectors.joining("/"));
    }

    /** Form fields (or query parameters) as name, value pairs. */
    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private static String encodeForm(Map<String, String> form, boolean encode) {
        return form.entrySet().stream().map(e -> e.getKey() + "=" + (encode ? URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)
                : e.getValue())).collect(Collectors.joining("&"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
