package fr.relais.messaging;

import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.UUID;

/** How a message's attachments are described to its readers: id, type, size and file name (opened), never the content. */
final class AttachmentList {
    private AttachmentList() {
    }

    /** SQL giving, as one JSON value, the sealed descriptions of the attachments of the message {@code messageId}. */
    static String of(String messageId) {
        return """
                (SELECT json_agg(json_build_object('id', a.id, 'contentType', a.content_type, 'size', a.size,
                                                   'filename', encode(a.filename_sealed, 'base64'), 'keyId', a.key_id)
                                 ORDER BY a.id)
                 FROM attachment a WHERE a.message_id = %s)""".formatted(messageId);
    }

    /** The descriptions {@link #of} gave, file names opened. */
    static JsonArray opened(Object raw, Sealer crypto) {
        JsonArray out = new JsonArray();
        if (raw instanceof JsonArray list) {
            for (Object entry : list) {
                JsonObject a = (JsonObject) entry;
                String id = a.getString("id");
                out.add(new JsonObject().put("id", id).put("contentType", a.getString("contentType")).put("size", a.getLong("size"))
                        .put("filename", crypto.openText(Base64.getMimeDecoder().decode(a.getString("filename")),
                                a.getString("keyId"), "attachment-name:" + id)));
            }
        }
        return out;
    }

    /** The attachments of one message, read now. */
    static Future<JsonArray> read(SqlClient sql, UUID messageId, Sealer crypto) {
        return sql.preparedQuery("SELECT " + of("$1") + " AS attachments").execute(Tuple.of(messageId))
                .map(rows -> opened(rows.iterator().next().getValue("attachments"), crypto));
    }
}
