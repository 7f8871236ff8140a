package fr.relais.notify;

import fr.relais.config.NotifyConfig;
import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person's preferences per category (by email: live, email or digest; by push to their devices: on or off), quiet
 * hours and language; defaults from the configuration.
 */
final class NotificationSettings {
    static final String DEFAULT_MODE = "email";

    /** What the scanner needs to know of one person. */
    record Settings(String locale, LocalTime[] quietHours, Map<Category, String> modes, Map<Category, Boolean> push) {
    }

    private final Pool pool;
    private final NotifyConfig config;

    NotificationSettings(Pool pool, NotifyConfig config) {
        this.pool = pool;
        this.config = config;
    }

    Future<Settings> of(SqlClient sql, UUID account) {
        return sql.preparedQuery("""
                        SELECT s.locale, s.quiet_start, s.quiet_end, COALESCE(s.quiet_hours_chosen, false) AS quiet_hours_chosen,
                               (SELECT json_object_agg(category, mode) FROM notification_preference
                                WHERE account_id = $1 AND mode IS NOT NULL) AS modes,
                               (SELECT json_object_agg(category, push) FROM notification_preference WHERE account_id = $1) AS push
                        FROM (SELECT 1) one LEFT JOIN notification_setting s ON s.account_id = $1""")
                .execute(Tuple.of(account))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Map<Category, String> modes = new EnumMap<>(Category.class);
                    for (Category category : Category.values()) {
                        modes.put(category, DEFAULT_MODE);
                    }
                    if (row.getValue("modes") instanceof JsonObject chosen) {
                        chosen.forEach(e -> Category.parse(e.getKey()).ifPresent(c -> modes.put(c, String.valueOf(e.getValue()))));
                    }
                    Map<Category, Boolean> push = new EnumMap<>(Category.class);
                    for (Category category : Category.values()) {
                        push.put(category, true);
                    }
                    if (row.getValue("push") instanceof JsonObject chosen) {
                        chosen.forEach(e -> Category.parse(e.getKey()).ifPresent(c -> push.put(c, Boolean.TRUE.equals(e.getValue()))));
                    }
                    LocalTime[] quiet = !row.getBoolean("quiet_hours_chosen") ? config.quietHours().orElse(null)
                            : row.getLocalTime("quiet_start") == null ? null // the person chose none
                            : new LocalTime[] {row.getLocalTime("quiet_start"), row.getLocalTime("quiet_end")};
                    String locale = row.getString("locale") == null ? config.defaultLocale() : row.getString("locale");
                    return new Settings(locale, quiet, modes, push);
                });
    }

    Future<JsonObject> view(UUID account) {
        return of(pool, account).map(s -> {
            JsonObject categories = new JsonObject();
            s.modes().forEach((c, mode) -> categories.put(c.wireName(), mode));
            JsonObject push = new JsonObject();
            s.push().forEach((c, on) -> push.put(c.wireName(), on));
            return new JsonObject().put("locale", s.locale()).put("push", push)
                    .put("quietHours", s.quietHours() == null ? null : s.quietHours()[0] + "-" + s.quietHours()[1])
                    .put("categories", categories);
        });
    }

    Future<JsonObject> update(UUID account, JsonObject body) {
        List<Tuple> preferences = new ArrayList<>();
        if (body.getValue("categories") != null) {
            if (!(body.getValue("categories") instanceof JsonObject categories)) {
                throw ApiError.invalidField("categories", "categories maps a category to live, email or digest.");
            }
            for (String name : categories.fieldNames()) {
                Category category = Category.parse(name).orElseThrow(() -> ApiError.invalidField("categories." + name,
                        "Categories are messages, documents, reminders and record_accesses."));
                Object mode = categories.getValue(name);
                if (!"live".equals(mode) && !"email".equals(mode) && !"digest".equals(mode)) {
                    throw ApiError.invalidField("categories." + name, "A mode is live, email or digest.");
                }
                preferences.add(Tuple.of(account, category.wireName(), mode));
            }
        }
        List<Tuple> pushes = new ArrayList<>();
        if (body.getValue("push") != null) {
            if (!(body.getValue("push") instanceof JsonObject push)) {
                throw ApiError.invalidField("push", "push maps a category to true or false.");
            }
            for (String name : push.fieldNames()) {
                Category category = Category.parse(name).orElseThrow(() -> ApiError.invalidField("push." + name,
                        "Categories are messages, documents, reminders and record_accesses."));
                if (!(push.getValue(name) instanceof Boolean on)) {
                    throw ApiError.invalidField("push." + name, "push." + name + " is true or false.");
                }
                pushes.add(Tuple.of(account, category.wireName(), on));
            }
        }
        Object locale = body.getValue("locale");
        if (locale != null && !"fr".equals(locale) && !"en".equals(locale)) {
            throw ApiError.invalidField("locale", "locale is fr or en.");
        }
        LocalTime[] quiet = null;
        boolean quietGiven = body.containsKey("quietHours");
        if (quietGiven && body.getValue("quietHours") != null) {
            try {
                String[] parts = body.getString("quietHours").split("-");
                quiet = new LocalTime[] {LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip())};
            } catch (RuntimeException e) {
                throw ApiError.invalidField("quietHours", "quietHours is written 22:00-08:00, or null for none.");
            }
        }
        LocalTime[] quietHours = quiet;
        return pool.withTransaction(tx -> (preferences.isEmpty() ? Future.succeededFuture() : tx.preparedQuery("""
                                INSERT INTO notification_preference (account_id, category, mode) VALUES ($1, $2, $3)
                                ON CONFLICT (account_id, category) DO UPDATE SET mode = EXCLUDED.mode""").executeBatch(preferences))
                        .compose(v -> pushes.isEmpty() ? Future.succeededFuture() : tx.preparedQuery("""
                                INSERT INTO notification_preference (account_id, category, push) VALUES ($1, $2, $3)
                                ON CONFLICT (account_id, category) DO UPDATE SET push = EXCLUDED.push""").executeBatch(pushes))
                        .compose(v -> locale == null && !quietGiven ? Future.succeededFuture() : tx.preparedQuery("""
                                        INSERT INTO notification_setting (account_id, locale, quiet_start, quiet_end, quiet_hours_chosen)
                                        VALUES ($1, COALESCE($2, 'fr'), $3, $4, $5)
                                        ON CONFLICT (account_id) DO UPDATE SET locale = COALESCE($2, notification_setting.locale),
                                            quiet_start = CASE WHEN $5 THEN $3 ELSE notification_setting.quiet_start END,
                                            quiet_end = CASE WHEN $5 THEN $4 ELSE notification_setting.quiet_end END,
                                            quiet_hours_chosen = notification_setting.quiet_hours_chosen OR $5""")
                                .execute(Tuple.of(account, locale, quietHours == null ? null : quietHours[0],
                                        quietHours == null ? null : quietHours[1], quietGiven))))
                .compose(v -> view(account));
    }

    Future<Void> setMode(UUID account, Category category, String mode) {
        return pool.preparedQuery("""
                        INSERT INTO notification_preference (account_id, category, mode) VALUES ($1, $2, $3)
                        ON CONFLICT (account_id, category) DO UPDATE SET mode = EXCLUDED.mode""")
                .execute(Tuple.of(account, category.wireName(), mode)).mapEmpty();
    }
}
