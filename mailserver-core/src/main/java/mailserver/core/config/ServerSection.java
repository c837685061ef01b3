package mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code server:} the host name, the data folder and the shutdown grace period. */
final class ServerSection {

    static final String NAME = "server";
    static final List<String> KEYS = List.of("hostname", "data-dir", "shutdown-grace");

    /** Relative to the config file's folder. */
    static final String DEFAULT_DATA_DIR = "data";
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private ServerSection() {
    }

    static ServerConfig bind(Section root) {
        Section server = root.section(NAME, KEYS);
        String hostname = server.value("hostname", HostNames::hostname).orElseGet(LocalHostName::find);
        Path dataDir = server.path("data-dir").orElse(server.baseDir().resolve(DEFAULT_DATA_DIR));
        Duration grace = server.value("shutdown-grace", Durations::parse).orElse(DEFAULT_SHUTDOWN_GRACE);
        return new ServerConfig(hostname, dataDir, grace);
    }
}
