package fr.relais.notify;

import fr.relais.config.NotifyConfig;
import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.mail.MailTemplates;
import fr.relais.principal.Principal;
import fr.relais.secrets.MasterKey;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.Future;
import fr.relais.stream.Streams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Missed notifications by email: the scanner that turns unacknowledged events into count-only emails, people's
 * preferences and quiet hours, and the signed unsubscribe links.
 */
public final class NotifyModule {
    /** The HTML pages of this module, written from templates like the emails. */
    public static final java.util.List<String> PAGES = java.util.List.of("unsubscribed");
    private final Pool pool;
    private final Outbox outbox;
    private final NotificationSettings settings;
    private final MissedEventScanner scanner;
    private final NotificationCentre centre;
    private final MasterKey masterKey;
    private final NotifyConfig config;
    private final Supplier<String> publicBaseUrl;
    private final Clock clock;
    private final MailTemplates templates;

    public NotifyModule(Pool pool, Streams streams, AccessPolicy policy, Outbox outbox, MailTemplates templates, PushChannel push,
                        MasterKey masterKey, NotifyConfig config, Clock clock, Supplier<String> publicBaseUrl,
                        io.micrometer.core.instrument.MeterRegistry metrics) {
        this.pool = pool;
        this.outbox = outbox;
        this.masterKey = masterKey;
        this.config = config;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
        this.templates = templates;
        this.settings = new NotificationSettings(pool, config);
        this.centre = new NotificationCentre(streams, policy);
        this.scanner = new MissedEventScanner(pool, streams.backlog(), outbox, new DigestEmails(templates), settings, push, config,
                clock, this::unsubscribeLinks, () -> publicBaseUrl.get() + "/", new DecisionMetrics(metrics));
    }

    /** One scan (a job of the hub, every {@code notify.scanEvery}; tests scan on demand); returns the people decided for. */
    public Future<Integer> scanOnce() {
        return scanner.runOnce();
    }

    /** Deletes the decisions older than {@code notify.decisionRetention} (a job of the hub). */
    public Future<Integer> purgeDecisions() {
        return Decisions.purge(pool, clock.instant().minus(config.decisionRetention()));
    }

    public void mountApi(Router api) {
        api.get("/me/notifications").handler(rc -> settings.view(person(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.put("/me/notifications").handler(rc -> settings.update(person(rc), Requests.json(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.get("/notifications/unsubscribe").handler(this::unsubscribe);
        api.get("/notifications").handler(rc -> centre.page(Authentication.principal(rc),
                        Requests.queryNumber(rc, "before", Long.MAX_VALUE), Requests.queryNumber(rc, "limit", 20), flag(rc, "unread"),
                        flag(rc, "archived"))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.post("/notifications/archive").handler(rc -> centre.archive(Authentication.principal(rc), Requests.json(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.post("/notifications/read").handler(rc -> centre.markRead(Authentication.principal(rc), Requests.json(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.get("/admin/emails").handler(rc -> listOutbox(rc, Channel.EMAIL));
        api.post("/admin/emails/:id/retry").handler(rc -> retryItem(rc, Channel.EMAIL));
        api.get("/admin/outbox/:channel").handler(rc -> listOutbox(rc, channel(rc)));
        api.get("/admin/accounts/:id/notify-decisions").handler(this::decisions);
        api.post("/admin/outbox/:channel/:id/retry").handler(rc -> retryItem(rc, channel(rc)));
    }

    private static boolean flag(RoutingContext rc, String name) {
        String value = rc.queryParams().get(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiError.invalidField(name, name + " is true or false.");
    }

    /** Email preferences belong to people: integrators receive no email (403). */
    private static UUID person(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL, Principal.Kind.ADMIN).id();
    }

    /** The channel an admin's path names; anyone else is refused (401 or 403) before the path is read. */
    private static Channel channel(RoutingContext rc) {
        Authentication.require(rc, Principal.Kind.ADMIN);
        for (Channel channel : Channel.values()) {
            if (channel.wireName().equals(rc.pathParam("channel"))) {
                return channel;
            }
        }
        throw ApiError.notFound("not_found", "The channels are email, sms and push.");
    }

    /** For admins: one channel's items by status (dead letters first of all), never their content. */
    private void listOutbox(RoutingContext rc, Channel channel) {
        Authentication.require(rc, Principal.Kind.ADMIN);
        String status = rc.queryParams().get("status") == null ? "dead" : rc.queryParams().get("status");
        if (!Outbox.STATUSES.contains(status)) {
            throw ApiError.invalidField("status", "status is " + String.join(", ", Outbox.STATUSES) + ".");
        }
        Outbox.withStatus(pool, channel, status)
                .onSuccess(emails -> {
                    io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
                    emails.forEach(email -> list.add(new io.vertx.core.json.JsonObject().put("id", email.id().toString())
                            .put("to", email.to()).put("category", email.category()).put("attempts", email.attempts())
                            .put("lastError", email.lastError()).put("createdAt", email.createdAt().toString())));
                    Responses.json(rc, 200, list);
                })
                .onFailure(rc::fail);
    }

    /** For admins: why a person got (or did not get) a push or an email: the newest decisions, counts only. */
    private void decisions(RoutingContext rc) {
        Authentication.require(rc, Principal.Kind.ADMIN);
        UUID account = fr.relais.web.Fields.pathId(rc.pathParam("id"));
        int limit = (int) Requests.queryNumber(rc, "limit", 50);
        if (limit < 1 || limit > 200) {
            throw ApiError.invalidField("limit", "limit is between 1 and 200.");
        }
        Decisions.of(pool, account, limit)
                .onSuccess(items -> Responses.json(rc, 200, new io.vertx.core.json.JsonObject().put("items", items)))
                .onFailure(rc::fail);
    }

    /** For admins: a dead item is tried again from scratch. */
    private void retryItem(RoutingContext rc, Channel channel) {
        Authentication.require(rc, Principal.Kind.ADMIN);
        UUID id = fr.relais.web.Fields.pathId(rc.pathParam("id"));
        Outbox.retryDead(pool, channel, id, clock.instant())
                .onSuccess(retried -> {
                    if (!retried) {
                        rc.fail(ApiError.notFound("not_found", "No dead " + channel.wireName() + " item has this id."));
                    } else {
                        outbox.kick(channel);
                        Responses.noContent(rc);
                    }
                })
                .onFailure(rc::fail);
    }

    /** The link of an email: no login, the signature is the proof. Security emails have none. */
    private void unsubscribe(RoutingContext rc) {
        String account = rc.queryParams().get("account");
        String categoryName = rc.queryParams().get("category");
        Category category = Category.parse(categoryName).orElseThrow(() -> ApiError.notFound("not_found", "Unknown link."));
        byte[] expected = signature(account, category);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(String.valueOf(rc.queryParams().get("signature")));
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw ApiError.notFound("not_found", "This link is not valid.");
        }
        UUID person = UUID.fromString(account);
        settings.setMode(person, category, "live")
                .compose(v -> settings.of(pool, person))
                .onSuccess(chosen -> rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(templates.page("unsubscribed", chosen.locale(), Map.of("category", category.wireName()))))
                .onFailure(rc::fail);
    }

    Map<Category, String> unsubscribeLinks(UUID account, Map<Category, Integer> counts) {
        Map<Category, String> links = new EnumMap<>(Category.class);
        for (Category category : counts.keySet()) {
            links.put(category, publicBaseUrl.get() + "/api/v1/notifications/unsubscribe?account=" + account + "&category="
                    + category.wireName() + "&signature=" + URLEncoder.encode(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(signature(account.toString(), category)), StandardCharsets.UTF_8));
        }
        return links;
    }

    private byte[] signature(String account, Category category) {
        return masterKey.keyedHash("unsubscribe", account + ":" + category.wireName());
    }
}
