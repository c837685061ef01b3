package mailserver.core.config;

import java.nio.file.Path;

/**
 * The whole configuration, as read from one YAML file by {@link ConfigLoader}. Immutable;
 * every path in it is already absolute.
 *
 * @param source the file it was read from, or {@code null} for the built-in defaults
 */
public record MailserverConfig(
        Path source,
        ServerConfig server,
        TlsConfig tls,
        DirectoryConfig directory,
        StorageConfig storage,
        ListenersConfig listeners,
        LimitsConfig limits,
        SmtpConfig smtp,
        MailAccessConfig imap,
        MailAccessConfig pop3,
        DnsConfig dns,
        ChecksConfig checks,
        OutboundConfig outbound,
        QueueConfig queue) {
}
