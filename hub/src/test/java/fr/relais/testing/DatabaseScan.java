package fr.relais.testing;

import fr.relais.db.DatabaseEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Looks for strings in every column of every table of a database, as the catalogue lists them (so a table added
 * tomorrow is searched too): each value cast to text (uuid, jsonb, arrays, timestamps alike), and bytea columns
 * searched for the string's UTF-8 bytes.
 */
public final class DatabaseScan {
    /** Where a string was found: a table's column. */
    public record Hit(String needle, String table, String column) {
        @Override
        public String toString() {
            return table + "." + column + " holds \"" + needle + "\"";
        }
    }

    private record Column(String schema, String table, String name, boolean bytea) {
        String quotedTable() {
            return quote(schema) + "." + quote(table);
        }
    }

    private final DatabaseEndpoint endpoint;

    private DatabaseScan(DatabaseEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public static DatabaseScan of(DatabaseEndpoint endpoint) {
        return new DatabaseScan(endpoint);
    }

    /** Every column holding any of {@code needles}, in one pass over the database. */
    public List<Hit> find(Collection<String> needles) {
        String[] wanted = needles.toArray(String[]::new);
        List<Hit> hits = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.jdbcProperties())) {
            for (Column column : columns(c)) {
                hits.addAll(search(c, column, wanted));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot scan the database: " + e.getMessage(), e);
        }
        return hits;
    }

    private List<Column> columns(Connection c) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement("""
                SELECT n.nspname, t.relname, a.attname, a.atttypid = 'bytea'::regtype AS bytea
                FROM pg_catalog.pg_class t
                JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE t.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg_toast%'
                ORDER BY n.nspname, t.relname, a.attnum""");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
            }
        }
        return columns;
    }

    private static List<Hit> search(Connection c, Column column, String[] needles) throws SQLException {
        String match = column.bytea()
                ? "position(convert_to(n, 'UTF8') in " + quote(column.name()) + ") > 0"
                : "strpos(" + quote(column.name()) + "::text, n) > 0";
        // identifiers come from the catalogue and are quoted; the needles are parameters
        String sql = "SELECT n FROM unnest(?::text[]) AS n WHERE EXISTS (SELECT 1 FROM " + column.quotedTable()
                + " WHERE " + match + ")";
        List<Hit> hits = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setArray(1, c.createArrayOf("text", needles));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    hits.add(new Hit(rs.getString(1), column.table(), column.name()));
                }
            }
        }
        return hits;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
