package fr.relais.config;

/** The record and the profile: the key sealing new documents and entries, and the largest document accepted. */
public record RecordConfig(String keyId, int maxDocumentSize) {

    static RecordConfig from(Settings s) {
        String keyId = s.nonBlank("record.keyId");
        if (!keyId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw s.invalid("record.keyId", "must be 1 to 32 letters, digits, '-' or '_'");
        }
        return new RecordConfig(keyId, (int) s.bytes("record.maxDocumentSize", 1024, 512L << 20));
    }
}
