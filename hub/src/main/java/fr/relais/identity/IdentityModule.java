package fr.relais.identity;

import fr.relais.identity.phone.MobilePhones;
import fr.relais.sms.PhoneNumbers;
import fr.relais.config.RelaisConfig;
import fr.relais.identity.account.IntegratorSwitch;
import fr.relais.identity.account.Organisations;
import fr.relais.identity.account.Provisioning;
import fr.relais.identity.account.SpaceClosure;
import fr.relais.identity.consent.AppConsents;
import fr.relais.identity.login.ClientCredentials;
import fr.relais.identity.login.LoginService;
import fr.relais.identity.oidc.ExternalIdentityProviders;
import fr.relais.identity.oidc.UsedIdTokens;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.CareRelationships;
import fr.relais.identity.policy.CareTeam;
import fr.relais.identity.policy.Delegations;
import fr.relais.identity.policy.EmergencyAccess;
import fr.relais.identity.policy.EmergencyAccessNotice;
import fr.relais.identity.policy.EmergencyReasons;
import fr.relais.identity.policy.ProfessionMatrix;
import fr.relais.identity.session.Sessions;
import fr.relais.identity.token.AccessTokens;
import fr.relais.identity.token.SigningKeys;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity as one feature: accounts, login, tokens, sessions and the access policy, wired once per node.
 * Other features use {@link #policy()} and {@link #authentication()}; the gateway mounts the routes.
 */
public final class IdentityModule {
    private static final Logger log = LoggerFactory.getLogger(IdentityModule.class);
    public static final Duration MAINTENANCE_EVERY = Duration.ofMinutes(5);

    private final IdentityContext ctx;
    private final SigningKeys keys;
    private final Sessions sessions;
    private final Authentication authentication;
    private final AccessPolicy policy;
    private final Provisioning provisioning;
    private final AuthRoutes authRoutes;
    private final AdminRoutes adminRoutes;
    private final MeRoutes meRoutes;
    private final Delegations delegations;
    private final DelegationRoutes delegationRoutes;
    private final PhoneRoutes phoneRoutes;
    private final PatientRoutes patientRoutes;
    private final CareRoutes careRoutes;
    private final CareTeam careTeam;
    private final WebClient http;
    private final EmergencyReasons reasons;
    private final SpaceClosure closure;
    private final Organisations organisations;
    private final UsedIdTokens usedIdTokens;
    private final AppConsents consents;
    private final ConsentRoutes consentRoutes;

    private IdentityModule(IdentityContext ctx, RelaisConfig config, Streams streams) {
        this.ctx = ctx;
        var auth = config.auth();
        this.keys = new SigningKeys(ctx.vertx(), ctx.pool(), ctx.masterKey().box("signing-keys"),
                AccessTokens.rules(auth.issuer(), auth.audience()), auth.accessTokenLifetime(), auth.keyRotation(), ctx.clock());
        AccessTokens tokens = new AccessTokens(keys, auth.issuer(), auth.audience(), auth.accessTokenLifetime(),
                auth.clockSkew(), ctx.clock());
        this.sessions = new Sessions(ctx.vertx(), ctx.pool(), auth.refreshTokenLifetime(), ctx.clock());
        this.authentication = new Authentication(tokens, sessions);
        this.consents = new AppConsents(ctx, streams, sessions, tokens);
        this.policy = new AccessPolicy(new ProfessionMatrix(config.policy().matrix()), ctx.audit(), ctx.clock());
        this.closure = new SpaceClosure(ctx.pool(), streams, sessions, ctx.audit(), ctx.masterKey());
        this.provisioning = new Provisioning(ctx, closure);
        this.http = WebClient.create(ctx.vertx(), new WebClientOptions().setUserAgent("relais").setConnectTimeout(10_000));
        this.reasons = new EmergencyReasons(ctx.masterKey());
        this.careTeam = new CareTeam(ctx.pool(), reasons, ctx.clock());
        this.usedIdTokens = new UsedIdTokens(ctx.pool());
        this.consentRoutes = new ConsentRoutes(consents, ctx.publicBaseUrl());
        this.authRoutes = new AuthRoutes(ctx, new LoginService(ctx, sessions, tokens), new ClientCredentials(ctx, sessions, tokens),
                consents, provisioning, new ExternalIdentityProviders(ctx.vertx(), http, auth.oidcIssuers(), auth.clockSkew(), ctx.clock(),
                        usedIdTokens), keys);
        this.organisations = new Organisations(ctx.pool(), ctx.audit());
        this.adminRoutes = new AdminRoutes(provisioning, organisations, new IntegratorSwitch(ctx.pool(), sessions, ctx.audit()));
        CareRelationships relationships = new CareRelationships(streams, careTeam, ctx.audit(), ctx.clock());
        this.meRoutes = new MeRoutes(ctx.pool(), closure, careTeam, relationships, consents);
        this.careRoutes = new CareRoutes(ctx.pool(), careTeam, relationships);
        this.delegations = new Delegations(streams);
        this.delegationRoutes = new DelegationRoutes(delegations);
        this.phoneRoutes = new PhoneRoutes(new MobilePhones(ctx, new PhoneNumbers(config.sms().defaultRegion())));
        this.patientRoutes = new PatientRoutes(streams, policy, careTeam, new ProfessionalDirectory(ctx.pool()),
                new EmergencyAccess(ctx.pool(), streams, ctx.audit(), reasons,
                        new EmergencyAccessNotice(ctx.outbox(), ctx.emails(), ctx.publicBaseUrl(), ctx.clock()),
                        config.policy().emergencyAccessDuration(), ctx.clock()));
    }

    /**
     * Builds the feature, makes sure a signing key exists, seals the emergency reasons an older version left in
     * clear, listens for the sessions other nodes revoke, and starts the periodic key and counter upkeep.
     */
    public static Future<IdentityModule> start(IdentityContext ctx, RelaisConfig config, Streams streams) {
        IdentityModule module = new IdentityModule(ctx, config, streams);
        return module.sessions.listenForRevocations()
                .compose(v -> module.keys.maintain())
                .compose(v -> module.reasons.sealLeftovers(ctx.pool()))
                .map(module);
    }

    /**
     * The upkeep a node does every {@link #MAINTENANCE_EVERY} (a job of the hub): rotates and retires signing keys,
     * purges old rate-limit counters, used external ID tokens and apps' expired authorization codes. Each part runs even if another fails.
     */
    public Future<Void> maintain() {
        return Future.join(
                keys.maintain().onFailure(e -> log.warn("signing key upkeep failed: {}", e.getMessage())),
                ctx.rateLimiter().purge(ctx.clock().instant().minus(ctx.auth().rateLimit().window().multipliedBy(2)))
                        .onFailure(e -> log.warn("rate-limit purge failed: {}", e.getMessage())),
                usedIdTokens.purge(ctx.clock().instant()).onFailure(e -> log.warn("used ID token purge failed: {}", e.getMessage())),
                consents.purgeCodes().onFailure(e -> log.warn("authorization code purge failed: {}", e.getMessage())))
                .mapEmpty();
    }

    public void mountApi(Router api) {
        authRoutes.mount(api);
        adminRoutes.mount(api);
        meRoutes.mount(api);
        careRoutes.mount(api);
        delegationRoutes.mount(api);
        phoneRoutes.mount(api);
        patientRoutes.mount(api);
        consentRoutes.mount(api);
    }

    public void mountRoot(Router root) {
        authRoutes.mountWellKnown(root);
        consentRoutes.mountWellKnown(root);
    }

    /** Whom systems act for: asked by features that let a system act on a professional's behalf. */
    public Delegations delegations() {
        return delegations;
    }

    public Authentication authentication() {
        return authentication;
    }

    public AccessPolicy policy() {
        return policy;
    }

    /** The patients' decisions about professionals; features listen to blocks through it. */
    public CareTeam careTeam() {
        return careTeam;
    }

    public Provisioning provisioning() {
        return provisioning;
    }

    /** The organisations integrators belong to. */
    public Organisations organisations() {
        return organisations;
    }

    /** Closing spaces; features add what they erase themselves ({@link SpaceClosure#alsoErase}). */
    public SpaceClosure spaceClosure() {
        return closure;
    }

    public SigningKeys signingKeys() {
        return keys;
    }

    public void stop() {
        sessions.stopListening();
        http.close();
    }
}
