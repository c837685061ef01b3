package mailserver.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param hostname      the name this server greets with and puts in Received headers
 * @param dataDir       where the queue, spool, generated certificate and embedded directory live
 * @param shutdownGrace how long sessions may go on after SIGTERM before they are closed
 */
public record ServerConfig(String hostname, Path dataDir, Duration shutdownGrace) {
}
