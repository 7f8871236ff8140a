package fr.relais.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The heads of every audit chain at one moment, signed. The same checkpoint is kept in {@code audit_checkpoint} and,
 * as one JSON line, in the checkpoint file of the node that took it.
 *
 * @param signature HMAC-SHA256 of {@link #signedText()} under a key derived from the master key
 */
record Checkpoint(UUID id, Instant takenAt, List<Head> heads, byte[] signature) {

    /** A chain's last row at the time: its number and hash, and the first row of the chain that must be keyed. */
    record Head(int chain, long seq, String hash, long keyedFrom) {
        JsonObject toJson() {
            return new JsonObject().put("chain", chain).put("seq", seq).put("hash", hash).put("keyedFrom", keyedFrom);
        }

        static Head fromJson(JsonObject json) {
            return new Head(json.getInteger("chain"), json.getLong("seq"), json.getString("hash"), json.getLong("keyedFrom"));
        }
    }

    Checkpoint {
        heads = heads.stream().sorted(Comparator.comparingInt(Head::chain)).toList();
    }

    /** What the signature covers; nothing in it depends on how the database or the file orders or spells JSON. */
    String signedText() {
        StringBuilder text = new StringBuilder("relais audit checkpoint 1\n").append(id).append('\n').append(takenAt).append('\n');
        heads.forEach(h -> text.append(h.chain()).append(' ').append(h.seq()).append(' ').append(h.hash()).append(' ')
                .append(h.keyedFrom()).append('\n'));
        return text.toString();
    }

    JsonArray headsJson() {
        return new JsonArray(heads.stream().map(Head::toJson).toList());
    }

    static List<Head> headsOf(JsonArray json) {
        return json.stream().map(h -> Head.fromJson((JsonObject) h)).toList();
    }

    JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("takenAt", takenAt.toString()).put("heads", headsJson())
                .put("signature", Base64.getEncoder().encodeToString(signature));
    }

    /** Fails with an unchecked exception if {@code json} is not a checkpoint. */
    static Checkpoint fromJson(JsonObject json) {
        return new Checkpoint(UUID.fromString(json.getString("id")), Instant.parse(json.getString("takenAt")),
                headsOf(json.getJsonArray("heads")), Base64.getDecoder().decode(json.getString("signature")));
    }

    /** How problems name it. */
    String label() {
        return "checkpoint " + id + " (taken " + takenAt + ")";
    }
}
