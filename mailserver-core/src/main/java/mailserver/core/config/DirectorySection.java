package mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code directory:} the JDBC database of domains, accounts and aliases; an embedded H2
 * database in data-dir when nothing is said. The password may come from a file
 * ({@code password-file}) so it need not sit in the YAML.
 */
final class DirectorySection {

    static final String NAME = "directory";
    static final List<String> KEYS = List.of(
            "jdbc-url", "username", "password", "password-file", "manage-schema", "cache-ttl", "max-pool-size");

    static final boolean DEFAULT_MANAGE_SCHEMA = true;
    static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_POOL_SIZE = 10;
    /** More connections than this only queue up inside the database server. */
    static final int MAX_POOL_SIZE = 1000;
    /** A password file holds one line; anything bigger is the wrong file. */
    static final int MAX_PASSWORD_FILE_BYTES = 4096;

    private DirectorySection() {
    }

    static DirectoryConfig bind(Section root, Path dataDir) {
        Section directory = root.section(NAME, KEYS);
        String url = directory.value("jdbc-url", text -> JdbcUrls.resolve(text, directory.baseDir()))
                .orElseGet(() -> JdbcUrls.embeddedDefault(dataDir));
        return new DirectoryConfig(
                url,
                directory.text("username").orElse(""),
                password(directory),
                directory.bool("manage-schema").orElse(DEFAULT_MANAGE_SCHEMA),
                directory.value("cache-ttl", Durations::parse).orElse(DEFAULT_CACHE_TTL),
                directory.integer("max-pool-size", 1, MAX_POOL_SIZE).orElse(DEFAULT_MAX_POOL_SIZE));
    }

    private static String password(Section directory) {
        if (directory.has("password") && directory.has("password-file")) {
            directory.problem("password-file", "cannot be used together with " + directory.keyPath("password")
                    + " (line " + directory.position("password").line() + "); keep one of them");
            return "";
        }
        if (directory.has("password-file")) {
            return directory.value("password-file", text -> readSecret(directory.resolve(text))).orElse("");
        }
        return directory.text("password").orElse("");
    }

    /** The file's content without its final line break: editors add one, passwords never end in one. */
    private static String readSecret(Path file) throws InvalidValueException {
        String content = TextFiles.read(file, MAX_PASSWORD_FILE_BYTES);
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
