package mailserver.auth.directory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import mailserver.auth.directory.DirectoryException.Kind;
import mailserver.core.config.DirectoryConfig;

/**
 * The connection pool, and the one place where JDBC failures become messages an admin can act
 * on: "directory database unreachable (jdbc:mariadb://host/db): Connection refused".
 */
final class Database implements AutoCloseable {

    interface Work<T> {
        T run(Connection c) throws SQLException, DirectoryException;
    }

    /** A login or RCPT TO should fail fast when the database is gone, not hang for Hikari's 30 s default. */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;
    private static final int DEFAULT_POOL_SIZE = 10;

    private final HikariDataSource pool;
    private final String shownUrl;

    private Database(HikariDataSource pool, String shownUrl) {
        this.pool = pool;
        this.shownUrl = shownUrl;
    }

    static Database open(DirectoryConfig cfg) throws DirectoryException {
        String shownUrl = withoutSecrets(cfg.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("directory");
        hc.setJdbcUrl(cfg.jdbcUrl());
        hc.setUsername(cfg.username());
        hc.setPassword(cfg.password());
        hc.setMaximumPoolSize(cfg.maxPoolSize() > 0 ? cfg.maxPoolSize() : DEFAULT_POOL_SIZE);
        hc.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hc.setInitializationFailTimeout(1); // fail at start-up with the reason, not at the first login
        try {
            return new Database(new HikariDataSource(hc), shownUrl);
        } catch (RuntimeException e) {
            throw new DirectoryException(Kind.UNAVAILABLE,
                    "directory database unreachable (" + shownUrl + "): " + rootMessage(e), e);
        }
    }

    <T> T read(Work<T> work) throws DirectoryException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} in one transaction; any exception rolls it back. */
    <T> T transaction(Work<T> work) throws DirectoryException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | DirectoryException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    String shownUrl() {
        return shownUrl;
    }

    private DirectoryException failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException || state.startsWith("08")) {
            return new DirectoryException(Kind.UNAVAILABLE, "directory database unreachable (" + shownUrl + "): " + rootMessage(e), e);
        }
        if (state.startsWith("23")) {
            return new DirectoryException(Kind.CONFLICT, "directory change conflicts with existing data: " + rootMessage(e), e);
        }
        return new DirectoryException(Kind.UNAVAILABLE, "directory query failed (" + shownUrl + "): " + rootMessage(e), e);
    }

    /** The innermost message says what happened ("Connection refused"); the outer ones only where. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.strip();
    }

    /** A JDBC URL may carry {@code password=...}; it must never reach a log or a terminal. */
    static String withoutSecrets(String url) {
        return url == null ? "(no jdbc-url)" : url.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=***");
    }

    @Override
    public void close() {
        pool.close();
    }
}
