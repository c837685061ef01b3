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

    private DirectorySection() {
    }

    static DirectoryConfig bind(Section root, Path dataDir) {
        Section directory = root.section(NAME, KEYS);
        String url = directory.value("jdbc-url", text -> JdbcUrls.resolve(text, directory.baseDir()))
                .orElseGet(() -> JdbcUrls.embeddedDefault(dataDir));
        return new DirectoryConfig(
                url,
                directory.text("username").orElse(""),
                Secrets.password(directory),
                directory.bool("manage-schema").orElse(DEFAULT_MANAGE_SCHEMA),
                directory.value("cache-ttl", Durations::parse).orElse(DEFAULT_CACHE_TTL),
                directory.integer("max-pool-size", 1, MAX_POOL_SIZE).orElse(DEFAULT_MAX_POOL_SIZE));
    }
}
