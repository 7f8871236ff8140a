package fr.relais.identity;

import fr.relais.audit.AuditLog;
import fr.relais.config.AuthConfig;
import fr.relais.outbox.Outbox;
import fr.relais.ratelimit.RateLimiter;
import fr.relais.secrets.MasterKey;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.function.Supplier;

/** What the identity services share. {@code publicBaseUrl} is known only once the listener is bound. */
public record IdentityContext(Vertx vertx, Pool pool, AuthConfig auth, MasterKey masterKey, PasswordHashing hashing,
                              Outbox outbox, IdentityEmails emails, AuditLog audit, RateLimiter rateLimiter, Clock clock,
                              Supplier<String> publicBaseUrl) {
}
