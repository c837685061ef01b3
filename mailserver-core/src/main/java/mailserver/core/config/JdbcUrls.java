package mailserver.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Checks the directory's JDBC URL and makes an embedded H2 database's file path absolute,
 * so {@code jdbc:h2:file:./data/directory} means the same place whatever the working folder.
 */
final class JdbcUrls {

    static final String EXPECTED = "a JDBC URL starting with jdbc:h2:, jdbc:mariadb: or jdbc:mysql:";

    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String H2 = "jdbc:h2:";
    private static final String MARIADB = "jdbc:mariadb:";
    /** MariaDB Connector/J, the only driver shipped, refuses this scheme unless told otherwise. */
    private static final String MYSQL = "jdbc:mysql:";

    private JdbcUrls() {
    }

    /**
     * The H2 URL for a database file {@code directory} in {@code dataDir}, in MariaDB mode.
     * AUTO_SERVER lets the {@code mailserver} admin commands open it while the server runs
     * (H2's automatic mixed mode); without it the file is locked by the first process.
     */
    static String embeddedDefault(Path dataDir) {
        return H2_FILE + dataDir.resolve("directory") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    }

    /**
     * @return the URL to connect with: an H2 file path resolved against {@code baseDir};
     *         {@code jdbc:mysql:} spelled {@code jdbc:mariadb:}; anything else unchanged
     */
    static String resolve(String url, Path baseDir) throws InvalidValueException {
        if (url.startsWith(H2_FILE)) {
            return H2_FILE + absolute(url.substring(H2_FILE.length()), baseDir);
        }
        if (url.startsWith(H2 + "./") || url.startsWith(H2 + "../")) {
            return H2 + absolute(url.substring(H2.length()), baseDir);
        }
        if (url.startsWith(H2) || url.startsWith(MARIADB)) {
            return url;
        }
        if (url.startsWith(MYSQL)) {
            return MARIADB + url.substring(MYSQL.length());
        }
        // Only the scheme is shown: the rest of a URL may carry a password.
        throw new InvalidValueException("must be " + EXPECTED + ", not " + InvalidValueException.shown(scheme(url)));
    }

    /** {@code path;OPTIONS} with the path part made absolute. Home-relative {@code ~/} is H2's own business. */
    private static String absolute(String pathAndOptions, Path baseDir) throws InvalidValueException {
        int semicolon = pathAndOptions.indexOf(';');
        String path = semicolon < 0 ? pathAndOptions : pathAndOptions.substring(0, semicolon);
        String options = semicolon < 0 ? "" : pathAndOptions.substring(semicolon);
        if (path.isEmpty()) {
            throw new InvalidValueException("an H2 URL needs a database file path, e.g. jdbc:h2:file:./data/directory");
        }
        if (path.startsWith("~")) {
            return pathAndOptions;
        }
        try {
            return baseDir.resolve(path).normalize() + options;
        } catch (InvalidPathException e) {
            throw new InvalidValueException("the H2 database path " + InvalidValueException.shown(path)
                    + " is not a valid file path");
        }
    }

    private static String scheme(String url) {
        int first = url.indexOf(':');
        int second = first < 0 ? -1 : url.indexOf(':', first + 1);
        return second < 0 ? url : url.substring(0, second + 1);
    }
}
