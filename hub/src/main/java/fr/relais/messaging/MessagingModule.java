package fr.relais.messaging;

import fr.relais.audit.AuditLog;
import fr.relais.command.CommandRegistry;
import fr.relais.command.RequestFingerprints;
import fr.relais.config.MessagingConfig;
import fr.relais.identity.account.AccountErasure;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.Delegations;
import fr.relais.record.Documents;
import fr.relais.error.ApiError;
import fr.relais.secrets.MasterKey;
import fr.relais.stream.Streams;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Secure messaging as one feature: its service, its queries, its REST routes, its socket commands, and the
 * retention purge (run by the hub's jobs) that deletes conversations silent for longer than {@code messaging.retention}.
 */
public final class MessagingModule {
    private final Pool pool;
    private final MessagingConfig config;
    private final MessagingService service;
    private final MessagingQueries queries;
    private final MessagingRoutes routes;
    private final Delegations delegations;

    public MessagingModule(Pool pool, Streams streams, MasterKey masterKey, AuditLog audit, MessagingConfig config,
                           Documents record, Delegations delegations, AccessPolicy policy) {
        this.pool = pool;
        this.config = config;
        Sealer crypto = new Sealer(masterKey, "messages", config.keyId());
        ConversationPatients patients = new ConversationPatients(pool);
        this.service = new MessagingService(streams, crypto, config, audit, new RequestFingerprints(masterKey), patients);
        this.queries = new MessagingQueries(pool, crypto);
        this.delegations = delegations;
        this.routes = new MessagingRoutes(service, queries, config,
                new AttachmentFiling(patients, queries, record), delegations, new PatientConversations(streams, policy, crypto));
    }

    /** What messaging does when a professional enters or leaves a patient's care. */
    public fr.relais.identity.policy.CareListener careListener() {
        return new ConversationCutOff();
    }

    /** What a closed space takes along from messaging: its conversations, for everyone in them. */
    public AccountErasure erasure() {
        return new ConversationErasure();
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }

    /** The same operations over the socket, for patients' and professionals' apps. */
    public void registerCommands(CommandRegistry commands) {
        commands.registerKeyed("conversation.start", Delegations.MESSAGES_SCOPE, (caller, args, key) -> delegations
                .acting(caller, args.getValue("onBehalfOf"), Delegations.MESSAGES_SCOPE)
                .compose(who -> service.startConversation(who, args, key)).map(MessagingService.Sent::message));
        commands.registerKeyed("message.send", Delegations.MESSAGES_SCOPE, (caller, args, key) -> {
            UUID conversation = conversationId(args);
            MessageInput input = MessageInput.parse(args, key, config);
            return delegations.acting(caller, args.getValue("onBehalfOf"), Delegations.MESSAGES_SCOPE)
                    .compose(who -> service.send(who, conversation, input)).map(MessagingService.Sent::message);
        });
        commands.register("conversation.read", null, (who, args) -> {
            if (!(args.getValue("upTo") instanceof Number upTo)) {
                throw ApiError.invalidField("upTo", "upTo is the number (seq) of the last message read.");
            }
            return service.markRead(who, conversationId(args), upTo.longValue());
        });
        commands.register("conversation.close", null, (who, args) -> service.close(who, conversationId(args)));
        commands.registerQuery("conversation.list", null, (who, args) -> queries.list(who, args.getString("before"),
                Math.min(200, Math.max(1, args.getInteger("limit", 50)))));
        commands.registerQuery("conversation.messages", Delegations.MESSAGES_SCOPE, (caller, args) -> {
            UUID conversation = conversationId(args);
            long after = args.getLong("after", 0L);
            int limit = Math.min(200, Math.max(1, args.getInteger("limit", 50)));
            return delegations.acting(caller, args.getValue("onBehalfOf"), Delegations.MESSAGES_SCOPE).compose(who -> queries.messages(who, conversation, after, limit));
        });
    }

    /** Deletes conversations whose last activity is older than the retention period (a job of the hub); returns how many. */
    public Future<Integer> purgeExpired() {
        return pool.preparedQuery("""
                DELETE FROM conversation
                WHERE last_activity_day <= ((now() - make_interval(secs => $1)) AT TIME ZONE 'UTC')::date
                  AND last_activity_at < now() - make_interval(secs => $1)""")
                .execute(Tuple.of((double) config.retention().toSeconds()))
                .map(rows -> rows.rowCount());
    }

    private static UUID conversationId(JsonObject args) {
        try {
            return UUID.fromString(args.getString("conversationId"));
        } catch (RuntimeException e) {
            throw ApiError.invalidField("conversationId", "conversationId is a conversation's id.");
        }
    }
}
