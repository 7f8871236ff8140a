package fr.relais.notify;

import fr.relais.error.ApiError;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.consent.AppEvents;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.principal.Principal;
import fr.relais.stream.StreamEvent;
import fr.relais.stream.StreamReads;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The notification centre: the events of a person's stream that tell them something happened, newest first, each
 * with who did it, what it points to and whether it was read; marking read, one by one or everything up to an
 * event, is told live to the person's other devices ({@code notifications.read}). One's own acts are not in it. A
 * catalogue app sees its patient's centre filtered as its socket is, and marks read only what it sees.
 */
public final class NotificationCentre {
    static final Set<String> NOTIFIED = Set.of("message.created", "conversation.closed", "document.arrived", "reminder.due",
            "record.accessed", "record.emergency_access", "appointment.created", "appointment.moved",
            "appointment.cancelled", "care.requested", "care.accepted", "care.declined", "care.started", "care.ended");
    static final String READ_EVENT = "notifications.read";
    static final String ARCHIVED_EVENT = "notifications.archived";
    /** Unread notifications are counted up to this many. */
    static final int COUNTED = 1000;
    static final int MAX_PAGE = 50;
    static final int MAX_IDS = 500;

    private final Streams streams;
    private final AccessPolicy policy;

    NotificationCentre(Streams streams, AccessPolicy policy) {
        this.streams = streams;
        this.policy = policy;
    }

    /** A page of {@code who}'s notifications below {@code before} (an offset), with the unread count. */
    Future<JsonObject> page(Principal who, long before, long limit, boolean unreadOnly, boolean archived) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiError.invalidField("limit", "limit is a whole number from 1 to " + MAX_PAGE + ".");
        }
        if (before < 1) {
            throw ApiError.invalidField("before", "before is the id of a notification, from 1.");
        }
        Reader reader = reader(who);
        return reader.checked(policy, streams, "notifications.list")
                // one more than asked: whether there is a next page
                .compose(v -> streams.reads().page(reader.recipient(), NOTIFIED, before, (int) limit + 1, unreadOnly, archived))
                .compose(fetched -> {
                    boolean more = fetched.size() > limit;
                    List<StreamReads.Entry> entries = more ? fetched.subList(0, (int) limit) : fetched;
                    List<StreamReads.Entry> seen = entries.stream().filter(entry -> reader.sees(entry.event())).toList();
                    Future<Map<UUID, String>> names = reader.app() == null
                            ? Accounts.displayNames(streams.pool(), actorIds(seen)) : Future.succeededFuture(Map.of());
                    return Future.all(names, unread(reader)).map(both -> {
                        JsonArray items = new JsonArray();
                        seen.forEach(entry -> items.add(Notification.of(entry, reader.appView(), names.result())));
                        Long next = more ? entries.get(entries.size() - 1).event().offset() : null;
                        return new JsonObject().put("unread", (int) both.resultAt(1)).put("items", items).put("next", next);
                    });
                });
    }

    /** Marks {@code ids} read, or everything up to {@code upTo}; answers the unread count after it. */
    Future<JsonObject> markRead(Principal who, JsonObject body) {
        Object ids = body.getValue("ids");
        Object upTo = body.getValue("upTo");
        if ((ids == null) == (upTo == null)) {
            throw ApiError.badRequest("invalid_request", "Give either ids (the notifications read) or upTo (read up to this one).");
        }
        List<Long> chosen = ids == null ? List.of() : offsets(ids);
        long mark = upTo == null ? 0 : offset("upTo", upTo);
        Reader reader = reader(who);
        // items one by one: those of the reader's centre among the ids; an app's "up to": the unread ones it sees
        return reader.checked(policy, streams, "notifications.mark_read")
                .compose(v -> ids != null ? items(reader, chosen)
                        : reader.app() != null ? visibleUnread(reader).map(unread -> unread.stream().filter(o -> o <= mark).toList())
                        : Future.<List<Long>>succeededFuture(null))
                .compose(oneByOne -> streams.withTransaction(tx -> {
                    UUID recipient = reader.recipient();
                    Future<JsonObject> changed = oneByOne == null
                            ? StreamReads.markUpTo(tx.sql(), recipient, mark).map(moved -> moved == 0 ? null : new JsonObject().put("upTo", moved))
                            : oneByOne.isEmpty() ? Future.succeededFuture(null) : StreamReads.mark(tx.sql(), recipient, oneByOne)
                                    .map(marked -> marked.isEmpty() ? null : new JsonObject().put("ids", new JsonArray(marked)));
                    return changed.compose(event -> event == null ? Future.<Void>succeededFuture()
                            : tx.append(recipient, READ_EVENT, event));
                }))
                .compose(v -> unread(reader))
                .map(count -> new JsonObject().put("unread", count));
    }

    /** Puts {@code ids} away, out of the list (and read); answers the unread count after it. */
    Future<JsonObject> archive(Principal who, JsonObject body) {
        if (body.containsKey("upTo")) {
            throw ApiError.badRequest("invalid_request", "Items are put away by their ids only.");
        }
        List<Long> chosen = offsets(body.getValue("ids"));
        Reader reader = reader(who);
        return reader.checked(policy, streams, "notifications.archive")
                .compose(v -> items(reader, chosen))
                .compose(mine -> streams.withTransaction(tx -> mine.isEmpty() ? Future.<Void>succeededFuture()
                        : StreamReads.archive(tx.sql(), reader.recipient(), mine).compose(archived -> archived.isEmpty()
                                ? Future.<Void>succeededFuture()
                                : tx.append(reader.recipient(), ARCHIVED_EVENT, new JsonObject().put("ids", new JsonArray(archived))))))
                .compose(v -> unread(reader))
                .map(count -> new JsonObject().put("unread", count));
    }

    /** Of {@code ids}, the items of the reader's centre: notifications, not the reader's own acts, what an app sees. */
    private Future<List<Long>> items(Reader reader, List<Long> ids) {
        return streams.reads().among(reader.recipient(), NOTIFIED, ids)
                .map(entries -> entries.stream().filter(entry -> reader.sees(entry.event()))
                        .map(entry -> entry.event().offset()).toList());
    }

    private Future<Integer> unread(Reader reader) {
        return visibleUnread(reader).map(List::size);
    }

    /** The reader's unread items, newest first, up to {@link #COUNTED}. */
    private Future<List<Long>> visibleUnread(Reader reader) {
        return streams.reads().page(reader.recipient(), NOTIFIED, Long.MAX_VALUE, COUNTED, true, false)
                .map(entries -> entries.stream().filter(entry -> reader.sees(entry.event()))
                        .map(entry -> entry.event().offset()).toList());
    }

    private static Set<UUID> actorIds(List<StreamReads.Entry> entries) {
        Set<UUID> ids = new LinkedHashSet<>();
        entries.forEach(entry -> {
            UUID actor = Notification.actorId(entry.event());
            if (actor != null) {
                ids.add(actor);
            }
        });
        return ids;
    }

    private static List<Long> offsets(Object ids) {
        if (!(ids instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_IDS) {
            throw ApiError.invalidField("ids", "ids lists from 1 to " + MAX_IDS + " notification ids.");
        }
        List<Long> offsets = new ArrayList<>(list.size());
        list.forEach(id -> offsets.add(offset("ids", id)));
        return offsets;
    }

    private static long offset(String field, Object value) {
        if (value instanceof Number number && (number instanceof Integer || number instanceof Long) && number.longValue() >= 1) {
            return number.longValue();
        }
        throw ApiError.invalidField(field, field + " holds notification ids: whole numbers from 1.");
    }

    /** Whose centre a caller reads: their own, or for a catalogue app its patient's, filtered as its socket is. */
    private record Reader(UUID recipient, Principal app, AppEvents appView) {
        boolean sees(StreamEvent event) {
            return appView == null || appView.view(event.type(), event.toFrame()) != null;
        }

        /** An app's access to its patient's centre is checked against the consent and goes to the access history. */
        Future<Void> checked(AccessPolicy policy, Streams streams, String action) {
            return app == null ? Future.succeededFuture()
                    : streams.withTransaction(tx -> policy.appFollows(tx, app, recipient, action)).mapEmpty();
        }
    }

    private static Reader reader(Principal who) {
        if (who.isApp()) {
            return new Reader(who.patient(), who, new AppEvents(who.scopes()));
        }
        if (who.is(Principal.Kind.PATIENT) || who.is(Principal.Kind.PROFESSIONAL)) {
            return new Reader(who.id(), null, null);
        }
        throw ApiError.of(403, "forbidden", "Notifications are people's, and catalogue apps' for their patient.");
    }
}
