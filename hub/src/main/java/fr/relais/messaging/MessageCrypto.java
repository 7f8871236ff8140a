package fr.relais.messaging;

import fr.relais.secrets.MasterKey;
import fr.relais.secrets.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals what people write (subjects, bodies, file names and contents) with AES-256-GCM under a key derived from
 * the master key for {@code messaging.keyId}. Each row keeps its key id, so changing {@code messaging.keyId}
 * rotates the key for new rows while old rows still open. The row's identity is bound into the seal: a sealed
 * body copied to another row does not open.
 */
final class MessageCrypto {
    private final MasterKey masterKey;
    private final String activeKeyId;
    private final Map<String, SecretBox> boxes = new ConcurrentHashMap<>();

    MessageCrypto(MasterKey masterKey, String activeKeyId) {
        this.masterKey = masterKey;
        this.activeKeyId = activeKeyId;
    }

    String keyId() {
        return activeKeyId;
    }

    byte[] seal(String text, String context) {
        return seal(text.getBytes(StandardCharsets.UTF_8), context);
    }

    byte[] seal(byte[] bytes, String context) {
        return box(activeKeyId).seal(bytes, context);
    }

    String openText(byte[] sealed, String keyId, String context) {
        return new String(open(sealed, keyId, context), StandardCharsets.UTF_8);
    }

    byte[] open(byte[] sealed, String keyId, String context) {
        return box(keyId).open(sealed, context);
    }

    private SecretBox box(String keyId) {
        return boxes.computeIfAbsent(keyId, id -> masterKey.box("messages:" + id));
    }
}
