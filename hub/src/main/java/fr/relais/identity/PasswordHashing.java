package fr.relais.identity;

import fr.relais.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Argon2id hashing off the event loop: every call runs on a worker thread (unordered, so calls run in parallel). */
public final class PasswordHashing {
    private final Vertx vertx;
    private final PasswordHasher hasher;

    public PasswordHashing(Vertx vertx, AuthConfig.Argon2 cost) {
        this.vertx = vertx;
        this.hasher = new PasswordHasher(cost.memoryKiB(), cost.iterations(), cost.parallelism());
    }

    public Future<String> hash(String password) {
        return vertx.executeBlocking(() -> hasher.hash(password), false);
    }

    /** Whether the password matches; with no hash (unknown account) it burns the same time and answers false. */
    public Future<Boolean> verify(String password, String phcOrNull) {
        return vertx.executeBlocking(() -> {
            if (phcOrNull == null) {
                hasher.burn(password);
                return false;
            }
            return hasher.verify(password, phcOrNull);
        }, false);
    }
}
