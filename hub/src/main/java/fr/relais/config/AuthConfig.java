package fr.relais.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Login, one-time codes, tokens and external identity providers. */
public record AuthConfig(String issuer, String audience, Duration accessTokenLifetime, Duration refreshTokenLifetime,
                         Duration keyRotation, Duration clockSkew, int passwordMinLength, Duration otpLifetime,
                         int otpMaxFailures, Duration activationLifetime, Argon2 argon2, RateLimit rateLimit,
                         List<OidcIssuer> oidcIssuers) {

    /** Argon2id cost: memory in KiB, passes, lanes. */
    public record Argon2(int memoryKiB, int iterations, int parallelism) {
    }

    /**
     * Failed authentication attempts allowed within one window: per client address and account (or integrator) pair,
     * and per address. After {@code perAccount} failures on one account from anywhere, each attempt on it first waits
     * {@code backoff}, doubling with every further failure up to {@code maxBackoff}: slowed, never refused.
     */
    public record RateLimit(Duration window, int perAddressAndAccount, int perAddress, int perAccount, Duration backoff,
                            Duration maxBackoff) {
    }

    /** An external OpenID Connect provider whose ID tokens log professionals in. */
    public record OidcIssuer(String name, String issuer, String jwksUrl, String audience, String rppsClaim) {
    }

    static AuthConfig from(Settings s) {
        return new AuthConfig(
                s.nonBlank("auth.issuer"),
                s.nonBlank("auth.audience"),
                s.duration("auth.accessTokenLifetime", Duration.ofSeconds(30), Duration.ofHours(24)),
                s.duration("auth.refreshTokenLifetime", Duration.ofMinutes(5), Duration.ofDays(365)),
                s.duration("auth.keyRotation", Duration.ofHours(1), Duration.ofDays(3650)),
                s.duration("auth.clockSkew", Duration.ZERO, Duration.ofMinutes(5)),
                s.integer("auth.passwordMinLength", 8, 128),
                s.duration("auth.otpLifetime", Duration.ofSeconds(30), Duration.ofMinutes(30)),
                s.integer("auth.otpMaxFailures", 1, 20),
                s.duration("auth.activationLifetime", Duration.ofMinutes(5), Duration.ofDays(60)),
                new Argon2((int) (s.bytes("auth.argon2.memory", 1L << 20, 4L << 30) / 1024),
                        s.integer("auth.argon2.iterations", 1, 20),
                        s.integer("auth.argon2.parallelism", 1, 16)),
                new RateLimit(s.duration("auth.rateLimit.window", Duration.ofSeconds(1), Duration.ofDays(1)),
                        s.integer("auth.rateLimit.perAddressAndAccount", 1, 1_000_000),
                        s.integer("auth.rateLimit.perAddress", 1, 1_000_000),
                        s.integer("auth.rateLimit.perAccount", 1, 1_000_000),
                        s.duration("auth.rateLimit.backoff", Duration.ofMillis(1), Duration.ofMinutes(1)),
                        s.duration("auth.rateLimit.maxBackoff", Duration.ofMillis(1), Duration.ofMinutes(5))),
                oidcIssuers(s));
    }

    private static List<OidcIssuer> oidcIssuers(Settings s) {
        String prefix = "auth.oidc.issuers.";
        Set<String> names = new LinkedHashSet<>();
        for (String key : s.keysUnder(prefix)) {
            names.add(key.substring(prefix.length()).split("\\.")[0]);
        }
        List<OidcIssuer> issuers = new ArrayList<>();
        for (String name : names) {
            String base = prefix + name + ".";
            for (String key : s.keysUnder(base)) {
                String field = key.substring(base.length());
                if (!List.of("issuer", "jwksUrl", "audience", "rppsClaim").contains(field)) {
                    throw new ConfigException("configuration error: unknown key " + key
                            + " (an issuer has issuer, jwksUrl, audience and rppsClaim)");
                }
            }
            issuers.add(new OidcIssuer(name, required(s, base + "issuer"), required(s, base + "jwksUrl"),
                    required(s, base + "audience"), s.keysUnder(base + "rppsClaim").isEmpty() ? "rpps"
                            : s.nonBlank(base + "rppsClaim")));
        }
        return List.copyOf(issuers);
    }

    private static String required(Settings s, String key) {
        if (s.keysUnder(key).isEmpty()) {
            throw new ConfigException("configuration error: " + key + " is missing");
        }
        return s.nonBlank(key);
    }
}
