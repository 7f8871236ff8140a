package fr.relais.agenda;

import fr.relais.audit.AuditLog;
import fr.relais.command.CommandRegistry;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.Delegations;
import fr.relais.config.AgendaConfig;
import fr.relais.config.RecordConfig;
import fr.relais.profile.MedicalProfile;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agenda: appointments, their reminders, the prevention and treatment reminders planned from the profile,
 * the durable scheduler that fires them all, and the iCalendar export.
 */
public final class AgendaModule {
    private static final Logger log = LoggerFactory.getLogger(AgendaModule.class);
    private static final java.util.Set<String> PLANNED_SECTIONS = java.util.Set.of("treatments", "vaccinations");

    private final Vertx vertx;
    private final AgendaConfig config;
    private final ReminderScheduler scheduler;
    private final ReminderPlanner planner;
    private final AgendaRoutes routes;
    private final AppointmentService appointments;
    private final Delegations delegations;
    private final Streams streams;
    private volatile boolean stopped;

    public AgendaModule(Vertx vertx, Streams streams, MedicalProfile profile, AuditLog audit, MasterKey masterKey,
                        AgendaConfig config, RecordConfig record, Clock clock, MeterRegistry metrics,
                        Supplier<String> publicBaseUrl, Delegations delegations, AccessPolicy policy) {
        this.vertx = vertx;
        this.config = config;
        this.streams = streams;
        this.scheduler = new ReminderScheduler(vertx, streams.pool(), streams, config, clock, metrics);
        this.planner = new ReminderPlanner(streams.pool(), profile, PreventionRules.load(), config, clock);
        AppointmentService appointments = new AppointmentService(streams, new Sealer(masterKey, "agenda", record.keyId()),
                audit, config.reminderOffsets(), clock, policy);
        this.appointments = appointments;
        this.delegations = delegations;
        this.routes = new AgendaRoutes(appointments, new CalendarExport(streams.pool()), publicBaseUrl, clock, delegations);
    }

    /** Booking over the socket: people, and systems with {@code agenda:write} for a professional who delegated to them. */
    public void registerCommands(CommandRegistry commands) {
        commands.register("appointment.book", Delegations.AGENDA_SCOPE, (caller, args) -> delegations
                .acting(caller, args.getValue("onBehalfOf"), Delegations.AGENDA_SCOPE)
                .compose(who -> appointments.book(who, args)));
    }

    /** Plans a patient again when their treatments or vaccinations change. */
    public void start() {
        streams.onCommitted("profile.updated", event -> {
            if (!stopped && PLANNED_SECTIONS.contains(event.data().getString("section"))) {
                planner.plan(event.recipient()).onFailure(e -> log.warn("reminder planning failed: {}", e.getMessage()));
            }
        });
    }

    /** One tick of the scheduler: fires the reminders due now (a job of the hub, every {@code agenda.tickInterval}). */
    public Future<Integer> fireDue() {
        return stopped ? Future.succeededFuture(0) : scheduler.runOnce();
    }

    /** Plans every patient's reminders (a job of the hub, at the start and every {@code agenda.planEvery}). */
    public Future<Integer> planAll() {
        return stopped ? Future.succeededFuture(0) : planner.planAll();
    }

    /** Stops listening, and makes {@link #fireDue} and {@link #planAll} do nothing (benchmarks drive schedulers of their own). */
    public void stop() {
        stopped = true;
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }

    /** The scheduler, for tests and benchmarks that drive it tick by tick. */
    public ReminderScheduler scheduler() {
        return scheduler;
    }

    /** Plans one patient's reminders now (tests; the hub does it on its own). */
    public Future<Void> plan(UUID patient) {
        return planner.plan(patient);
    }
}
