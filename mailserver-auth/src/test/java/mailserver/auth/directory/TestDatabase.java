package mailserver.auth.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import mailserver.auth.ExternalResource;
import mailserver.core.config.DirectoryConfig;

/**
 * A throw-away database for one test class: an H2 file in a temp dir, or a fresh
 * {@code mailserver_test_<random>} database on the MariaDB at 127.0.0.1:3306 (root, no password),
 * dropped again by {@link #close()}.
 */
final class TestDatabase implements AutoCloseable {

    static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";

    private final String url;
    private final String user;
    private final String dropName;
    private final Path h2Dir;

    private TestDatabase(String url, String user, String dropName, Path h2Dir) {
        this.url = url;
        this.user = user;
        this.dropName = dropName;
        this.h2Dir = h2Dir;
    }

    /** The default embedded URL form, in a new temp dir. */
    static TestDatabase h2() throws IOException {
        Path dir = Files.createTempDirectory("directory-test");
        return new TestDatabase("jdbc:h2:file:" + dir + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE", "sa", null, dir);
    }

    /** Skips the calling test class when MariaDB is not there, or fails it when CI=true. */
    static TestDatabase mariaDb() throws SQLException {
        String problem = null;
        try (Connection c = DriverManager.getConnection(MARIADB_SERVER + "?connectTimeout=2000", "root", "")) {
            c.isValid(2);
        } catch (SQLException e) {
            problem = Database.rootMessage(e);
        }
        ExternalResource.require(problem == null,
                "MariaDB on 127.0.0.1:3306 (user root, empty password; Debian package mariadb-server) [" + problem + "]");
        String name = "mailserver_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        }
        return new TestDatabase(MARIADB_SERVER + name, "root", name, null);
    }

    DirectoryConfig config(boolean manageSchema, Duration cacheTtl) {
        return new DirectoryConfig(url, user, "", manageSchema, cacheTtl, 4);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /** For what the admin API deliberately cannot do: deactivate rows, write foreign data. */
    void sql(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    void runScript(String script) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String statement : SchemaMigrator.statements(script)) {
                st.execute(statement);
            }
        }
    }

    @Override
    public void close() throws SQLException, IOException {
        if (h2Dir != null) {
            try (Stream<Path> files = Files.walk(h2Dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        if (dropName != null) {
            try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", ""); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + dropName);
            }
        }
    }
}
