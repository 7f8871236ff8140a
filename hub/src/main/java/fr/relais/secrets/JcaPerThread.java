package fr.relais.secrets;

import java.security.GeneralSecurityException;

/** One JCA object per thread: they are not safe to share, and getting a new one at every use is slow. */
final class JcaPerThread {
    interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private JcaPerThread() {
    }

    /** {@code factory}'s object for the calling thread; {@code algorithm} names it if the JVM lacks it. */
    static <T> ThreadLocal<T> of(String algorithm, Factory<T> factory) {
        return ThreadLocal.withInitial(() -> {
            try {
                return factory.create();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is unavailable", e);
            }
        });
    }
}
