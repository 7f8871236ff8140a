package fr.relais.identity.login;

import fr.relais.config.AuthConfig;
import fr.relais.identity.account.Accounts;
import fr.relais.ratelimit.RateLimiter;
import fr.relais.ratelimit.RateLimiter.Attempt;
import fr.relais.ratelimit.RateLimiter.Limit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits on authentication attempts (OWASP ASVS 2.2.1). Failures are counted per client address and account pair,
 * so an attacker is stopped where they attack from without locking the owner out from elsewhere, and per address.
 * Failures on one account from every address only slow its attempts down (a growing wait before the password is
 * checked), so a correct login from a new address still gets in. Successful attempts are given back.
 */
final class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final Vertx vertx;
    private final RateLimiter limiter;
    private final AuthConfig.RateLimit limits;

    LoginThrottle(Vertx vertx, RateLimiter limiter, AuthConfig.RateLimit limits) {
        this.vertx = vertx;
        this.limiter = limiter;
        this.limits = limits;
    }

    /** A password attempt on {@code email} from {@code ip}; waits first if the account has failed a lot lately. */
    Future<Attempt> password(String ip, String email) {
        String account = Accounts.loginRateKey(email);
        return limiter.attempt(limits.window(), List.of(
                        new Limit("login:ip:" + ip, limits.perAddress()),
                        new Limit(Accounts.loginRateKey(email, ip), limits.perAddressAndAccount()),
                        Limit.countOnly(account)))
                .compose(attempt -> backoff(attempt.count(account) - 1).map(attempt));
    }

    /** An emailed code tried for a login challenge. */
    Future<Attempt> code(String ip, UUID challengeId) {
        return limiter.attempt(limits.window(), List.of(
                new Limit("otp:ip:" + ip, limits.perAddress()),
                new Limit("otp:challenge:" + challengeId, limits.perAddressAndAccount())));
    }

    /** An integrator's client secret tried from {@code ip}. */
    Future<Attempt> clientSecret(String ip, String clientId) {
        return limiter.attempt(limits.window(), List.of(
                new Limit("client:ip:" + ip, limits.perAddress()),
                new Limit("client:pair:" + ip + "|" + clientId, limits.perAddressAndAccount())));
    }

    /** The attempt succeeded: it uses up no limit. Never fails (the success stands even if the refund does not). */
    Future<Void> succeeded(Attempt attempt) {
        return limiter.refund(attempt).recover(e -> {
            log.warn("cannot give back a successful attempt: {}", e.getMessage());
            return Future.succeededFuture();
        });
    }

    private Future<Void> backoff(int failuresBefore) {
        if (failuresBefore < limits.perAccount()) {
            return Future.succeededFuture();
        }
        int doublings = Math.min(failuresBefore - limits.perAccount(), 30);
        long wait = Math.min(limits.backoff().toMillis() << doublings, limits.maxBackoff().toMillis());
        return vertx.timer(wait, TimeUnit.MILLISECONDS).mapEmpty();
    }
}
