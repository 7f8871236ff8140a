package fr.relais;

import fr.relais.config.DbConfig;
import fr.relais.config.HttpConfig;
import fr.relais.config.RelaisConfig;
import fr.relais.db.DatabaseEndpoint;
import fr.relais.db.DatabasePool;
import fr.relais.db.embedded.EmbeddedPostgres;
import fr.relais.gateway.GatewayVerticle;
import fr.relais.agenda.AgendaModule;
import fr.relais.audit.AuditCheckpoints;
import fr.relais.audit.AuditModule;
import fr.relais.command.CommandRegistry;
import fr.relais.command.IdempotencyStore;
import fr.relais.gateway.ws.PrincipalConnections;
import fr.relais.gateway.ws.SocketMetrics;
import fr.relais.gateway.ws.WebSocketDependencies;
import fr.relais.stream.StreamCommands;
import fr.relais.stream.StreamRetention;
import fr.relais.stream.Streams;
import fr.relais.webhook.WebhookModule;
import fr.relais.push.PushModule;
import fr.relais.push.PushTexts;
import fr.relais.push.PushTransport;
import fr.relais.notify.PushChannel;
import fr.relais.config.PushConfig;
import fr.relais.health.HealthRoutes;
import fr.relais.identity.IdentityContext;
import fr.relais.identity.IdentityEmails;
import fr.relais.identity.IdentityModule;
import fr.relais.identity.PasswordHashing;
import fr.relais.mail.EmailTransport;
import fr.relais.config.MailConfig;
import fr.relais.config.SmsConfig;
import fr.relais.outbox.Channel;
import fr.relais.outbox.DispatchSettings;
import fr.relais.outbox.Outbox;
import fr.relais.outbox.ReadMarks;
import fr.relais.outbox.Transport;
import fr.relais.sms.SmsTransports;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import fr.relais.mail.MailTemplates;
import fr.relais.mail.Mailer;
import fr.relais.outbox.OutboxDispatcher;
import fr.relais.secrets.Sealer;
import fr.relais.ratelimit.RateLimiter;
import fr.relais.secrets.MasterKey;
import fr.relais.health.Readiness;
import fr.relais.jobs.BackgroundJobs;
import fr.relais.jobs.Job;
import fr.relais.messaging.MessagingModule;
import fr.relais.metrics.HubMetrics;
import fr.relais.notify.DigestEmails;
import fr.relais.notify.NotifyModule;
import fr.relais.profile.ProfileModule;
import fr.relais.record.RecordModule;
import fr.relais.net.FreePort;
import fr.relais.node.ClusterNode;
import fr.relais.node.NodeRuns;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running hub node: its database (embedded or external, migrated), its Vert.x instance and its verticles.
 * {@link #start} and {@link #stop} are the only ways in and out, used by {@code relais serve} and by tests.
 */
public final class Hub {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    /** How long a stop waits for the background jobs' runs in flight. */
    private static final Duration JOBS_GRACE = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HubMetrics metrics;
    private final PreparedDatabase database;
    private final Pool pool;
    private final Readiness readiness;
    private final NodeRuns nodeRuns;
    private IdentityModule identity;
    private final Map<Channel, OutboxDispatcher> dispatchers = new EnumMap<>(Channel.class);
    private final List<Transport> transports = new ArrayList<>();
    private Outbox outbox;
    private NotifyModule notify;
    private Streams streams;
    private Pool sequencerPool;
    private MessagingModule messaging;
    private RecordModule record;
    private ProfileModule profile;
    private AgendaModule agenda;
    private WebhookModule webhooks;
    private PushModule push;
    private AuditModule audit;
    private CommandRegistry commands;
    private WebSocketDependencies webSockets;
    private BackgroundJobs jobs;
    private volatile int httpPort = -1;

    private Hub(Vertx vertx, HubMetrics metrics, PreparedDatabase database, Pool pool, NodeRuns nodeRuns) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.database = database;
        this.pool = pool;
        this.readiness = new Readiness(pool);
        this.nodeRuns = nodeRuns;
    }

    /**
     * Starts a node and returns once it listens. Blocking: call it from a plain thread (a command, a test),
     * never from an event loop. If any step fails, what was started is stopped again and the failure thrown.
     */
    public static Hub start(RelaisConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts a node whose time-based rules (token expiry, code lifetime…) read {@code clock}; for tests. */
    public static Hub start(RelaisConfig config, Clock clock) {
        HubMetrics metrics = new HubMetrics();
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        Vertx vertx = ClusterNode.start(metrics.instrument(Vertx.builder(), options), options, config.cluster());
        PreparedDatabase database;
        try {
            database = PreparedDatabase.open(config.db());
        } catch (RuntimeException e) {
            vertx.close().await();
            metrics.close();
            throw e;
        }
        Pool pool = DatabasePool.create(vertx, database.endpoint(), config.db().pool());
        Hub hub = new Hub(vertx, metrics, database, pool, new NodeRuns(pool));
        try {
            hub.startFeatures(config, clock);
            hub.deploy(config);
            return hub;
        } catch (Exception e) { // Future.await also throws checked failures, such as a port already in use
            hub.stop().await();
            throw e;
        }
    }

    private void startFeatures(RelaisConfig config, Clock clock) {
        MasterKey masterKey = MasterKey.load(config.secrets().masterKey(), config.secrets().dir());
        outbox = new Outbox(vertx, new Sealer(masterKey, "outbox", "o1"));
        sequencerPool = DatabasePool.create(vertx, database.endpoint(), config.db().pool().withSize(1), "relais-sequencer");
        streams = new Streams(vertx, pool, sequencerPool, clock);
        streams.start();
        ReadMarks readMarks = (recipient, offset) -> streams.backlog().acknowledged(recipient, offset);
        MailConfig mail = config.mail();
        SmsConfig sms = config.sms();
        dispatchThrough(new OutboxDispatcher(pool, Channel.EMAIL, new EmailTransport(Mailer.create(vertx, mail)), outbox,
                new DispatchSettings(mail.batchSize(), mail.lease(), mail.maxAttempts(), 0), clock, metrics.registry(), readMarks));
        dispatchThrough(new OutboxDispatcher(pool, Channel.SMS, SmsTransports.create(vertx, sms), outbox,
                new DispatchSettings(sms.batchSize(), sms.lease(), sms.maxAttempts(), sms.perNumberPerHour()), clock,
                metrics.registry(), readMarks));
        push = new PushModule(vertx, pool, masterKey, config.push(), clock);
        push.start().await();
        PushConfig pushing = config.push();
        dispatchThrough(new OutboxDispatcher(pool, Channel.PUSH, new PushTransport(push.sender()), outbox,
                new DispatchSettings(pushing.batchSize(), pushing.lease(), pushing.maxAttempts(), 0), clock, metrics.registry(),
                readMarks));
        audit = new AuditModule(vertx, pool, masterKey, config.audit(), clock);
        MailTemplates mailTemplates = mailTemplates();
        IdentityContext context = new IdentityContext(vertx, pool, config.auth(), masterKey,
                new PasswordHashing(vertx, config.auth().argon2()), outbox,
                new IdentityEmails(mailTemplates, config.notifications().defaultLocale()), audit.log(), new RateLimiter(pool, clock), clock,
                () -> config.http().publicBaseUrl(httpPort));
        identity = IdentityModule.start(context, config, streams).await();
        IdempotencyStore idempotency = new IdempotencyStore(pool, new Sealer(masterKey, "idempotency", "i1"),
                new fr.relais.command.RequestFingerprints(masterKey));
        commands = new CommandRegistry(idempotency);
        StreamCommands.register(commands, streams);
        record = new RecordModule(streams, identity.policy(), audit.log(), masterKey, config.record(), clock);
        profile = new ProfileModule(streams, identity.policy(), audit.log(), masterKey, config.record(), clock);
        messaging = new MessagingModule(pool, streams, masterKey, audit.log(), config.messaging(), record.documents(),
                identity.delegations(), identity.policy());
        messaging.registerCommands(commands);
        record.registerCommands(commands);
        profile.registerCommands(commands);
        identity.careTeam().onCareChange(messaging.careListener());
        identity.spaceClosure().alsoErase(messaging.erasure());
        identity.spaceClosure().alsoErase(record.erasure());
        identity.careTeam().nameDocumentsWith(record.accessedDocuments());
        notify = new NotifyModule(pool, streams, identity.policy(), outbox, mailTemplates, new PushChannel() {
            @Override
            public Future<List<java.util.UUID>> devices(java.util.UUID account) {
                return push.sender().subscriptionsOf(account);
            }

            @Override
            public io.vertx.core.json.JsonObject payload(String language, Map<String, Integer> counts) {
                return PushTexts.payload(language, counts);
            }
        }, masterKey, config.notifications(), clock, () -> config.http().publicBaseUrl(httpPort), metrics.registry());
        agenda = new AgendaModule(vertx, streams, profile.profile(), audit.log(), masterKey, config.agenda(), config.record(), clock,
                metrics.registry(), () -> config.http().publicBaseUrl(httpPort), identity.delegations(), identity.policy());
        agenda.registerCommands(commands);
        webhooks = new WebhookModule(vertx, streams, masterKey, config.webhooks(), clock, metrics.registry());
        webSockets = new WebSocketDependencies(config.ws(), identity.authentication(), streams, commands,
                new SocketMetrics(metrics.registry()), new PrincipalConnections(), clock, config.auth().clockSkew());
        StreamRetention retention = new StreamRetention(pool, config.stream().retention(),
                config.stream().maxEventsPerRecipient(), clock);
        jobs = new BackgroundJobs(vertx, clock, metrics.registry());
        registerJobs(config, retention, idempotency, clock);
    }

    /** The periodic work of a serving node, each job on its own timer and never twice at once (started by {@link #deploy}). */
    private void registerJobs(RelaisConfig config, StreamRetention retention, IdempotencyStore idempotency, Clock clock) {
        jobs.every("stream.sweep", Streams.SWEEP_EVERY, streams::sweep)
                .every("stream.trim", config.stream().trimEvery(), retention::trim)
                .every("idempotency.purge", config.stream().trimEvery(), () -> idempotency.purge(Duration.ofDays(1)))
                .every("identity.upkeep", IdentityModule.MAINTENANCE_EVERY, identity::maintain)
                .every("audit.chain", AuditModule.CHAIN_EVERY, audit::chainPending)
                .every("audit.checkpoint", AuditCheckpoints.LOOK_EVERY, audit::checkpointIfDue)
                .every("messaging.retention", Duration.ofHours(1), messaging::purgeExpired)
                .every("record.uploads", Duration.ofMinutes(5), record::purgeUploads)
                .every("agenda.reminders", config.agenda().tickInterval(), agenda::fireDue)
                .register(Job.every("agenda.planning", config.agenda().planEvery(), agenda::planAll).firstAfter(Duration.ZERO))
                .every("notify.scan", config.notifications().scanEvery(), notify::scanOnce)
                .every("notify.decisions", Duration.ofHours(1), notify::purgeDecisions)
                .every("mail.dispatch", config.mail().dispatchEvery(), dispatcher(Channel.EMAIL)::drain)
                .every("sms.dispatch", config.sms().dispatchEvery(), dispatcher(Channel.SMS)::drain)
                .every("push.dispatch", config.push().dispatchEvery(), dispatcher(Channel.PUSH)::drain)
                .every("outbox.upkeep", Duration.ofMinutes(5), () -> Outbox.purgeRates(pool, clock.instant()))
                .every("webhooks.dispatch", config.webhooks().dispatchEvery(), webhooks::dispatch)
                .wakeOn(Outbox.kickAddress(Channel.EMAIL), "mail.dispatch")
                .wakeOn(Outbox.kickAddress(Channel.SMS), "sms.dispatch")
                .wakeOn(Outbox.kickAddress(Channel.PUSH), "push.dispatch");
    }

    /** Every email and page template, read and compiled now: a missing one stops the start. */
    public static MailTemplates mailTemplates() {
        return MailTemplates.load(Stream.concat(IdentityEmails.TEMPLATES.stream(), DigestEmails.TEMPLATES.stream()).toList(),
                NotifyModule.PAGES, IdentityEmails.TEXTS);
    }

    private void deploy(RelaisConfig config) {
        nodeRuns.recordStart(version()).await();
        HttpConfig http = config.http();
        // Servers asked for port 0 each get a random port of their own instead of sharing one, so pick the
        // port here; in the rare case another process takes it before the bind, pick again.
        for (int attempt = 1; ; attempt++) {
            HttpConfig bound = http.port() == 0 ? http.withPort(FreePort.on(http.host())) : http;
            try {
                deployGateways(bound);
                httpPort = bound.port();
                break;
            } catch (RuntimeException e) {
                if (http.port() != 0 || attempt == 3) {
                    throw e;
                }
                log.warn("port {} was taken before the bind; trying another", bound.port());
                undeployAll().await();
            }
        }
        agenda.start();
        audit.start();
        jobs.start();
        log.info("Relais {} listening on {}", version(), url(config));
    }

    private void deployGateways(HttpConfig http) {
        GatewayVerticle.Dependencies gateway = new GatewayVerticle.Dependencies(
                http, new HealthRoutes(readiness), metrics.scrapeHandler(), identity.authentication()::handle,
                apiRoutes(), rootRoutes(), webSockets);
        vertx.deployVerticle(() -> new GatewayVerticle(gateway),
                new DeploymentOptions().setInstances(http.instancesOrCores())).await();
    }

    /**
     * Stops gracefully: report not ready, stop the background jobs and accept no more requests, let the runs and
     * requests in flight finish, record the stop, close the pool, then stop the embedded database. Never fails: a
     * step that fails is logged and the next runs.
     */
    public Future<Void> stop() {
        readiness.startDraining();
        if (identity != null) {
            identity.stop();
        }
        if (agenda != null) {
            agenda.stop();
        }
        if (audit != null) {
            audit.stop();
        }
        Future<Void> jobsEnded = jobs == null ? Future.succeededFuture() : jobs.stop(JOBS_GRACE);
        return Future.join(jobsEnded, undeployAll())
                .eventually(() -> streams == null ? Future.succeededFuture() : streams.stop())
                .eventually(() -> Future.join(transports.stream().map(Transport::close).toList()))
                .eventually(() -> webhooks == null ? Future.succeededFuture() : webhooks.stop())
                .eventually(() -> push == null ? Future.succeededFuture() : push.stop())
                .eventually(() -> nodeRuns.recordStop().onFailure(e -> log.warn("cannot record the stop: {}", e.getMessage())))
                .eventually(() -> sequencerPool == null ? Future.succeededFuture() : sequencerPool.close())
                .eventually(pool::close)
                .eventually(() -> vertx.executeBlocking(() -> {
                    database.close();
                    return null;
                }))
                .eventually(vertx::close)
                .transform(done -> {
                    metrics.close();
                    if (done.failed()) {
                        log.warn("stop was not clean: {}", done.cause().toString());
                    }
                    return Future.<Void>succeededFuture();
                });
    }

    private Future<Void> undeployAll() {
        return Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).mapEmpty();
    }

    /**
     * Runs an admin task against the database with the identity feature wired, without serving: starts the
     * embedded server if needed (leaving a serving node's server running), then stops what it started. Blocking.
     */
    public static <T> T runAdminTask(RelaisConfig config, Clock clock, java.util.function.Function<Hub, Future<T>> task) {
        HubMetrics metrics = new HubMetrics();
        Vertx vertx = Vertx.vertx();
        PreparedDatabase database = PreparedDatabase.open(config.db());
        Pool pool = DatabasePool.create(vertx, database.endpoint(), config.db().pool().withSize(2));
        Hub hub = new Hub(vertx, metrics, database, pool, new NodeRuns(pool));
        try {
            hub.startFeatures(config, clock);
            return task.apply(hub).await();
        } finally {
            if (hub.identity != null) { // null when start-up failed: let its reason through
                hub.identity.stop();
            }
            pool.close().await();
            vertx.close().await();
            metrics.close();
            database.release();
        }
    }

    /** Starts the database if it is embedded, migrates it, stops it again; returns the schema version. Blocking. */
    public static String migrate(DbConfig db) {
        PreparedDatabase prepared = PreparedDatabase.open(db);
        prepared.release();
        return prepared.schemaVersion();
    }

    /** The port the gateway listens on. */
    /** The routes each feature mounts under {@code /api/v1}, as every gateway instance mounts them. */
    public List<Consumer<Router>> apiRoutes() {
        return List.of(identity::mountApi, messaging::mountApi, record::mountApi, profile::mountApi, agenda::mountApi, notify::mountApi,
                webhooks::mountApi, push::mountApi);
    }

    /** The routes features mount at the root of the server (the JWKS, the portal). */
    public List<Consumer<Router>> rootRoutes() {
        return List.of(identity::mountRoot, fr.relais.portal.PortalRoutes::mount);
    }

    public int httpPort() {
        return httpPort;
    }

    public DatabaseEndpoint database() {
        return database.endpoint();
    }

    public Optional<EmbeddedPostgres> embeddedDatabase() {
        return database.embedded();
    }

    /** Web Push: the sender, for the feature that decides what to send (and for tests). */
    public PushModule push() {
        return push;
    }

    /** The identity feature, for tests and admin commands that provision accounts. */
    public IdentityModule identity() {
        return identity;
    }

    /** Missed-notification emails, for tests that scan on demand. */
    public NotifyModule notifications() {
        return notify;
    }

    /** The outbox of every channel, for benchmarks. */
    public Outbox outbox() {
        return outbox;
    }

    /** The email dispatcher, for tests and benchmarks. */
    public OutboxDispatcher dispatcher() {
        return dispatcher(Channel.EMAIL);
    }

    /** The dispatcher of one channel, for tests and benchmarks. */
    public OutboxDispatcher dispatcher(Channel channel) {
        return dispatchers.get(channel);
    }

    private void dispatchThrough(OutboxDispatcher dispatcher) {
        dispatchers.put(dispatcher.channel(), dispatcher);
        transports.add(dispatcher.transport());
    }

    /** The audit log, its checkpoints and its verifier, for admin commands and tests. */
    public AuditModule audit() {
        return audit;
    }

    /** The node's background jobs, for tests that run one now or read what they did. */
    public BackgroundJobs jobs() {
        return jobs;
    }

    /** The agenda, for tests and benchmarks that drive its scheduler. */
    public AgendaModule agenda() {
        return agenda;
    }

    /** The stream API, for tests and for features wired by the hub. */
    public Streams streams() {
        return streams;
    }

    public Vertx vertx() {
        return vertx;
    }

    public static String version() {
        String version = Hub.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private String url(RelaisConfig config) {
        String host = config.http().host();
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return "http://" + shown + ":" + httpPort() + "/";
    }
}
