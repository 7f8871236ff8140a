package fr.relais.identity;

import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Professionals found by name, as the public directory shows them (name, RPPS, profession, organisation): every
 * word typed must start a word of the name, whatever the case and accents ("mar cl" finds "Dr Claire Martin"); the
 * longest word typed drives the index scan, the others are checked on what it found.
 */
final class ProfessionalDirectory {
    static final int MAX_RESULTS = 20;
    static final int MAX_QUERY = 100;

    private final Pool pool;

    ProfessionalDirectory(Pool pool) {
        this.pool = pool;
    }

    Future<JsonArray> search(String query, long limit) {
        if (query == null || query.strip().length() < 2 || query.length() > MAX_QUERY) {
            throw ApiError.invalidField("q", "q is a name, or the start of one, of 2 to " + MAX_QUERY + " characters.");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            throw ApiError.invalidField("limit", "limit is a whole number from 1 to " + MAX_RESULTS + ".");
        }
        return pool.preparedQuery("""
                        WITH q AS (SELECT array_agg(w ORDER BY length(w) DESC, w) AS words FROM unnest(search_words($1)) AS w)
                        SELECT a.id, a.display_name, p.rpps, p.profession, p.organisation
                        FROM q, professional_name_word first
                          JOIN account a ON a.id = first.professional_id AND a.status = 'active'
                          JOIN professional p ON p.account_id = a.id
                        WHERE first.word >= (q.words[1] COLLATE "C") AND first.word < (q.words[1] || chr(1114111)) COLLATE "C"
                          AND NOT EXISTS (SELECT 1 FROM unnest(q.words[2:]) AS w WHERE NOT EXISTS (
                                SELECT 1 FROM professional_name_word s WHERE s.professional_id = a.id
                                  AND s.word >= (w COLLATE "C") AND s.word < (w || chr(1114111)) COLLATE "C"))
                        GROUP BY a.id, a.display_name, p.rpps, p.profession, p.organisation
                        ORDER BY a.display_name, a.id LIMIT $2""")
                .execute(Tuple.of(query, (int) limit))
                .map(rows -> {
                    JsonArray found = new JsonArray();
                    rows.forEach(row -> {
                        JsonObject pro = new JsonObject().put("id", row.getUUID("id").toString())
                                .put("displayName", row.getString("display_name")).put("rpps", row.getString("rpps"))
                                .put("profession", row.getString("profession"));
                        if (row.getString("organisation") != null) {
                            pro.put("organisation", row.getString("organisation"));
                        }
                        found.add(pro);
                    });
                    return found;
                });
    }
}
