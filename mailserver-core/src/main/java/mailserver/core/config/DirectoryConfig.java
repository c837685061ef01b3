package mailserver.core.config;

import java.time.Duration;

/**
 * Where domains, accounts and aliases live. A {@code jdbc:h2:} URL is the embedded default;
 * {@code jdbc:mariadb:} (or {@code jdbc:mysql:}) a MariaDB server.
 *
 * @param manageSchema create and migrate the tables on start
 * @param cacheTtl     how long lookups and successful logins are cached; zero disables
 */
public record DirectoryConfig(
        String jdbcUrl,
        String username,
        String password,
        boolean manageSchema,
        Duration cacheTtl,
        int maxPoolSize) {
}
