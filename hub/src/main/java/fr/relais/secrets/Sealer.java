package fr.relais.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals health data at rest (message bodies, document titles and contents, profile entries) with AES-256-GCM
 * under a key derived from the master key for one purpose and key id. Each row keeps its key id, so changing the
 * configured key id rotates the key for new rows while old rows still open. The caller binds the row's identity
 * into the seal ({@code context}): a sealed value copied to another row does not open.
 */
public final class Sealer {
    private final MasterKey masterKey;
    private final String purpose;
    private final String activeKeyId;
    private final Map<String, SecretBox> boxes = new ConcurrentHashMap<>();

    public Sealer(MasterKey masterKey, String purpose, String activeKeyId) {
        this.masterKey = masterKey;
        this.purpose = purpose;
        this.activeKeyId = activeKeyId;
    }

    public String keyId() {
        return activeKeyId;
    }

    public byte[] seal(String text, String context) {
        return seal(text.getBytes(StandardCharsets.UTF_8), context);
    }

    public byte[] seal(byte[] bytes, String context) {
        return box(activeKeyId).seal(bytes, context);
    }

    public String openText(byte[] sealed, String keyId, String context) {
        return new String(open(sealed, keyId, context), StandardCharsets.UTF_8);
    }

    public byte[] open(byte[] sealed, String keyId, String context) {
        return box(keyId).open(sealed, context);
    }

    private SecretBox box(String keyId) {
        return boxes.computeIfAbsent(keyId, id -> masterKey.box(purpose + ":" + id));
    }
}
