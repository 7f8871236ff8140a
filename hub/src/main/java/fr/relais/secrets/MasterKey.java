package fr.relais.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node's master key (32 bytes), from which purpose-specific keys are derived. It comes from configuration
 * ({@code secrets.masterKey}, base64) — the same on every node of a cluster — or, for a single node, from a key
 * file generated at first start ({@code <secrets.dir>/master.key}, mode 0600). It never lives in the repository.
 */
public final class MasterKey {
    /** Mac.getInstance looks the provider up and checks it on every call: one instance per thread, initialised per use. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = JcaPerThread.of("HmacSHA256", () -> Mac.getInstance("HmacSHA256"));

    private final byte[] key;
    private final Map<String, byte[]> derived = new ConcurrentHashMap<>();

    private MasterKey(byte[] key) {
        this.key = key;
    }

    /** Loads the configured key, or reads (creating it at first use) the key file in {@code dir}. Blocking. */
    public static MasterKey load(Optional<String> configured, Path dir) {
        if (configured.isPresent()) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(configured.get().strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secrets.masterKey is not base64");
            }
            if (decoded.length != 32) {
                throw new IllegalArgumentException("secrets.masterKey must decode to 32 bytes, not " + decoded.length);
            }
            return new MasterKey(decoded);
        }
        Path file = dir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path temp = Files.createTempFile(dir, "master", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, Base64.getEncoder().encodeToString(fresh), StandardOpenOption.WRITE);
                try {
                    Files.move(temp, file); // fails if another process created it first: then use theirs
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    Files.delete(temp);
                }
            }
            return load(Optional.of(Files.readString(file)), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        }
    }

    /** A 32-byte key for one purpose (e.g. "signing-keys", "messages"), derived so purposes never share a key. */
    public byte[] derive(String purpose) {
        return derived.computeIfAbsent(purpose, p -> hmac(key, "relais:" + p)).clone();
    }

    public SecretBox box(String purpose) {
        return new SecretBox(derive(purpose));
    }

    /** A keyed hash for looking values up without storing them (e.g. an INS in the opposition list). */
    public byte[] keyedHash(String purpose, String value) {
        return hmac(derive(purpose), value);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
