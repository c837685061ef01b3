package mailserver.auth.directory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to the newest {@code schema-v<N>.sql} on the class path (the files in
 * config/sql). Runs only when the config says the server owns the schema. Each file is
 * idempotent DDL and is recorded in {@code mailserver_schema_version} once applied, so running
 * it again, or on a database PostfixAdmin created, is harmless.
 */
final class SchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String VERSION_TABLE = "mailserver_schema_version";

    private SchemaMigrator() {
    }

    static void migrate(Connection c) throws SQLException, DirectoryException {
        int current = currentVersion(c);
        for (int version = current + 1; ; version++) {
            String script = script(version);
            if (script == null) {
                break;
            }
            apply(c, version, script);
        }
    }

    private static int currentVersion(Connection c) throws SQLException, DirectoryException {
        if (!Sql.hasTable(c, VERSION_TABLE)) {
            return 0;
        }
        return Sql.first(c, "SELECT MAX(version) FROM " + VERSION_TABLE, row -> row.getInt(1)).orElse(0);
    }

    private static void apply(Connection c, int version, String script) throws SQLException, DirectoryException {
        log.info("directory schema: applying version {}", version);
        try (Statement st = c.createStatement()) {
            for (String statement : statements(script)) {
                st.execute(statement);
            }
        }
        // Another node may have applied the same version a moment ago; its row is as good as ours.
        if (!Sql.exists(c, "SELECT version FROM " + VERSION_TABLE + " WHERE version = ?", version)) {
            Sql.update(c, "INSERT INTO " + VERSION_TABLE + " (version, description, applied) VALUES (?, ?, ?)",
                    version, "schema-v" + version + ".sql", LocalDateTime.now());
        }
    }

    /** Our own files only: statements end with ';' at the end of a line, comments are whole '--' lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    private static String script(int version) throws DirectoryException {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("sql/schema-v" + version + ".sql")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DirectoryException(DirectoryException.Kind.UNAVAILABLE, "cannot read schema-v" + version + ".sql from the class path", e);
        }
    }
}
