package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mailserver.core.net.NetworkRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path folder;

    @Test
    void fullFileSetsEveryKey() throws Exception {
        Path file = folder.resolve("mailserver.yml");
        try (InputStream in = getClass().getResourceAsStream("/config/full.yml")) {
            Files.copy(in, file);
        }
        Files.createDirectories(folder.resolve("tls"));
        Files.writeString(folder.resolve("tls/fullchain.pem"), "chain");
        Files.writeString(folder.resolve("tls/key.pem"), "key");

        MailserverConfig config = ConfigLoader.load(file);

        assertThat(config.source()).isEqualTo(file.toAbsolutePath());
        assertThat(config.server()).isEqualTo(
                new ServerConfig("mail.example.test", folder.resolve("var"), Duration.ofSeconds(45)));
        assertThat(config.tls()).isEqualTo(new TlsConfig(
                folder.resolve("tls/fullchain.pem"), folder.resolve("tls/key.pem"), folder.resolve("var/tls")));
        assertThat(config.directory()).isEqualTo(new DirectoryConfig(
                "jdbc:mariadb://db.example.test:3306/mail?useSsl=true", "mailserver", "s3cret: with colon",
                false, Duration.ofMinutes(5), 20));
        assertThat(config.storage().maildirRoot()).isEqualTo(Path.of("/srv/vmail"));
        ListenersConfig listeners = config.listeners();
        assertThat(listeners.smtp()).isEqualTo(new ListenerConfig("smtp", Protocol.SMTP, false, true, "192.0.2.10", 2525));
        assertThat(listeners.submission()).isEqualTo(new ListenerConfig("submission", Protocol.SMTP, false, false, "::1", 2587));
        assertThat(listeners.submissions())
                .isEqualTo(new ListenerConfig("submissions", Protocol.SMTP, true, true, "mail.example.test", 2465));
        assertThat(listeners.imap()).isEqualTo(new ListenerConfig("imap", Protocol.IMAP, false, true, "0.0.0.0", 2143));
        assertThat(listeners.imaps()).isEqualTo(new ListenerConfig("imaps", Protocol.IMAP, true, true, "0.0.0.0", 2993));
        assertThat(listeners.pop3()).isEqualTo(new ListenerConfig("pop3", Protocol.POP3, false, false, "0.0.0.0", 110));
        assertThat(listeners.pop3s()).isEqualTo(new ListenerConfig("pop3s", Protocol.POP3, true, true, "[2001:db8::1]", 2995));
        assertThat(listeners.enabled()).extracting(ListenerConfig::name)
                .containsExactly("smtp", "submissions", "imap", "imaps", "pop3s");
        assertThat(config.limits()).isEqualTo(new LimitsConfig(300, 7));
        assertThat(config.smtp()).isEqualTo(new SmtpConfig(
                List.of(NetworkRange.parse("192.0.2.0/24"), NetworkRange.parse("2001:db8::/32")),
                25L << 20, 50, 5, Duration.ofMinutes(2), false));
        assertThat(config.imap()).isEqualTo(new MailAccessConfig(true, Duration.ofMinutes(45)));
        assertThat(config.pop3()).isEqualTo(new MailAccessConfig(true, Duration.ofMinutes(15)));
        assertThat(config.dns()).isEqualTo(new DnsConfig(
                List.of(new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53),
                        new InetSocketAddress(InetAddress.getByName("192.0.2.54"), 5353),
                        new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 53),
                        new InetSocketAddress(InetAddress.getByName("2001:db8::54"), 5353)),
                Duration.ofMillis(1500), 1, false));
        assertThat(config.checks()).isEqualTo(new ChecksConfig("auth.example.test", ChecksConfig.SpfAction.TAG,
                ChecksConfig.TemperrorAction.DEFER, false, ChecksConfig.DmarcMode.REPORT_ONLY, List.of("lists.example.test"),
                Map.of("smtp", new ChecksConfig.ListenerChecks(ChecksConfig.SpfAction.REJECT, ChecksConfig.TemperrorAction.ACCEPT))));
    }

    @Test
    void emptyFileMeansEveryDefault() throws Exception {
        MailserverConfig config = ConfigFiles.load(folder, "");

        Path data = folder.resolve("data");
        assertThat(config.server().hostname()).isEqualTo(LocalHostName.find());
        assertThat(config.server().dataDir()).isEqualTo(data);
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.tls()).isEqualTo(new TlsConfig(null, null, data.resolve("tls")));
        assertThat(config.tls().selfSigned()).isTrue();
        assertThat(config.directory()).isEqualTo(new DirectoryConfig(
                "jdbc:h2:file:" + data.resolve("directory") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE",
                "", "", true, Duration.ofSeconds(60), 10));
        assertThat(config.storage().maildirRoot()).isEqualTo(data.resolve("mail"));
        assertThat(config.listeners().all())
                .extracting(ListenerConfig::name, ListenerConfig::address, ListenerConfig::port,
                        ListenerConfig::enabled, ListenerConfig::implicitTls)
                .containsExactly(
                        tuple("smtp", "0.0.0.0", 25, true, false),
                        tuple("submission", "0.0.0.0", 587, true, false),
                        tuple("submissions", "0.0.0.0", 465, true, true),
                        tuple("imap", "0.0.0.0", 143, true, false),
                        tuple("imaps", "0.0.0.0", 993, true, true),
                        tuple("pop3", "0.0.0.0", 110, true, false),
                        tuple("pop3s", "0.0.0.0", 995, true, true));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(1000, 20));
        assertThat(config.smtp()).isEqualTo(new SmtpConfig(
                List.of(NetworkRange.parse("127.0.0.0/8"), NetworkRange.parse("::1")),
                50L << 20, 1000, 20, Duration.ofMinutes(5), true));
        assertThat(config.imap()).isEqualTo(new MailAccessConfig(false, Duration.ofMinutes(30)));
        assertThat(config.pop3()).isEqualTo(new MailAccessConfig(false, Duration.ofMinutes(10)));
        assertThat(config.dns()).isEqualTo(new DnsConfig(List.of(), Duration.ofSeconds(5), 2, true));
    }

    @Test
    void commentsOnlyEmptySectionsAndExplicitNullsAreDefaultsToo() throws Exception {
        MailserverConfig empty = ConfigFiles.load(folder, "");

        assertThat(ConfigFiles.load(folder, "# nothing yet\n\n")).isEqualTo(empty);
        assertThat(ConfigFiles.load(folder, "---\n")).isEqualTo(empty);
        assertThat(ConfigFiles.load(folder, "server:\ntls:\nlisteners:\n  smtp:\n    port: ~\n")).isEqualTo(empty);
    }

    @Test
    void defaultsAreAnEmptyFileInThatFolder() throws Exception {
        MailserverConfig fromFile = ConfigFiles.load(folder, "");

        MailserverConfig defaults = ConfigLoader.defaults(folder);

        assertThat(defaults.source()).isNull();
        assertThat(defaults.server()).isEqualTo(fromFile.server());
        assertThat(defaults.tls()).isEqualTo(fromFile.tls());
        assertThat(defaults.directory()).isEqualTo(fromFile.directory());
        assertThat(defaults.storage()).isEqualTo(fromFile.storage());
        assertThat(defaults.listeners()).isEqualTo(fromFile.listeners());
    }

    @Test
    void relativePathsAreRelativeToTheFilesFolderNotTheWorkingDirectory() throws Exception {
        Path etc = Files.createDirectories(folder.resolve("install/config"));
        Files.writeString(etc.resolve("cert.pem"), "chain");
        Files.createDirectories(folder.resolve("keys"));
        Files.writeString(folder.resolve("keys/key.pem"), "key");

        MailserverConfig config = ConfigLoader.load(Files.writeString(etc.resolve("mailserver.yml"), """
                server:
                  data-dir: ../data
                tls:
                  certificate: cert.pem
                  private-key: ../../keys/key.pem
                storage:
                  maildir-root: ./maildirs/
                """), name -> null);

        Path install = folder.resolve("install");
        assertThat(config.server().dataDir()).isEqualTo(install.resolve("data"));
        assertThat(config.tls().certificate()).isEqualTo(etc.resolve("cert.pem"));
        assertThat(config.tls().privateKey()).isEqualTo(folder.resolve("keys/key.pem"));
        assertThat(config.tls().generatedDir()).isEqualTo(install.resolve("data/tls"));
        assertThat(config.storage().maildirRoot()).isEqualTo(etc.resolve("maildirs"));
        assertThat(config.directory().jdbcUrl())
                .isEqualTo("jdbc:h2:file:" + install.resolve("data/directory") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE");
    }

    @Test
    void anH2FilePathIsResolvedAgainstTheFilesFolder() throws Exception {
        assertThat(jdbcUrl("jdbc:h2:file:./db/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE"))
                .isEqualTo("jdbc:h2:file:" + folder.resolve("db/directory") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE");
        assertThat(jdbcUrl("jdbc:h2:./x")).isEqualTo("jdbc:h2:" + folder.resolve("x"));
        assertThat(jdbcUrl("jdbc:h2:../x;MODE=MariaDB")).isEqualTo("jdbc:h2:" + folder.getParent().resolve("x") + ";MODE=MariaDB");
        assertThat(jdbcUrl("jdbc:h2:file:/var/lib/db")).isEqualTo("jdbc:h2:file:/var/lib/db");
        assertThat(jdbcUrl("jdbc:h2:file:~/db")).isEqualTo("jdbc:h2:file:~/db");
        assertThat(jdbcUrl("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEqualTo("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1");
        assertThat(jdbcUrl("jdbc:mariadb://localhost/mail")).isEqualTo("jdbc:mariadb://localhost/mail");
        assertThat(jdbcUrl("jdbc:mysql://localhost/mail")).isEqualTo("jdbc:mariadb://localhost/mail");
    }

    private String jdbcUrl(String url) throws ConfigException {
        return ConfigFiles.load(folder, "directory:\n  jdbc-url: \"" + url + "\"\n").directory().jdbcUrl();
    }

    @Test
    void environmentPlaceholdersAreReplacedInEveryScalar() throws Exception {
        MailserverConfig config = ConfigFiles.load(folder, """
                server:
                  hostname: ${HOST}
                  data-dir: ${DATA:-/var/lib/mailserver}
                directory:
                  jdbc-url: jdbc:mariadb://${DB_HOST}:3306/mail
                  username: ${DB_USER:-mailserver}
                  password: "${DB_PASSWORD}"
                  max-pool-size: ${POOL}
                listeners:
                  smtp:
                    port: ${SMTP_PORT:-25}
                    enabled: ${SMTP_ON}
                """, Map.of("HOST", "mx.example.test", "DB_HOST", "db", "DB_PASSWORD", "pa$$ ${not} again",
                "POOL", "7", "SMTP_ON", "false", "DB_USER", ""));

        assertThat(config.server().hostname()).isEqualTo("mx.example.test");
        assertThat(config.server().dataDir()).isEqualTo(Path.of("/var/lib/mailserver"));
        assertThat(config.directory().jdbcUrl()).isEqualTo("jdbc:mariadb://db:3306/mail");
        assertThat(config.directory().username()).as("set but empty takes the default, as in the shell")
                .isEqualTo("mailserver");
        assertThat(config.directory().password()).as("substituted text is not scanned again")
                .isEqualTo("pa$$ ${not} again");
        assertThat(config.directory().maxPoolSize()).isEqualTo(7);
        assertThat(config.listeners().smtp().port()).isEqualTo(25);
        assertThat(config.listeners().smtp().enabled()).isFalse();
    }

    @Test
    void thePasswordMayComeFromAFileWithoutItsFinalNewline() throws Exception {
        Path secrets = Files.createDirectories(folder.resolve("secrets"));
        Files.writeString(secrets.resolve("db"), "  line one \n");
        Files.writeString(secrets.resolve("crlf"), "pw\r\n");
        Files.writeString(secrets.resolve("two"), "pw\n\n");

        assertThat(password("secrets/db")).as("only the final newline goes; spaces stay").isEqualTo("  line one ");
        assertThat(password("secrets/crlf")).isEqualTo("pw");
        assertThat(password("secrets/two")).isEqualTo("pw\n");
        assertThat(password(secrets.resolve("db").toString())).isEqualTo("  line one ");
    }

    private String password(String file) throws ConfigException {
        return ConfigFiles.load(folder, "directory:\n  password-file: " + file + "\n").directory().password();
    }

    @Test
    void listenersMayShareAPortOnDifferentAddressesOrWhenOneIsDisabled() throws Exception {
        MailserverConfig config = ConfigFiles.load(folder, """
                listeners:
                  smtp: { address: 127.0.0.1, port: 2525 }
                  submission: { address: 127.0.0.2, port: 2525 }
                  imap: { port: 2525, enabled: false }
                """);

        assertThat(config.listeners().enabled()).extracting(ListenerConfig::port).contains(2525, 2525);
    }

    @Test
    void theShippedReferenceConfigLoadsWithoutProblems() throws Exception {
        Path reference = Path.of("../config/mailserver.yml");

        MailserverConfig config = ConfigLoader.load(reference, name -> null);

        Path install = reference.toAbsolutePath().normalize().getParent().getParent();
        assertThat(config.server().dataDir()).isEqualTo(install.resolve("data"));
        assertThat(config.directory().jdbcUrl())
                .isEqualTo("jdbc:h2:file:" + install.resolve("data/directory") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE");
        assertThat(config.storage().maildirRoot()).isEqualTo(install.resolve("data/mail"));
        assertThat(config.tls().selfSigned()).isTrue();
        assertThat(config.listeners()).isEqualTo(ConfigLoader.defaults(install).listeners());
    }

    @Test
    void theReferenceConfigNamesEveryKeyTheLoaderKnows() throws IOException {
        String reference = Files.readString(Path.of("../config/mailserver.yml"));
        String documentation = Files.readString(Path.of("../docs/configuration.md"));

        for (String key : Stream.of(ServerSection.KEYS, TlsSection.KEYS, DirectorySection.KEYS,
                StorageSection.KEYS, ListenersSection.KEYS, ListenersSection.LISTENER_KEYS, LimitsSection.KEYS,
                SmtpSection.KEYS, MailAccessSection.KEYS, MailAccessSection.IMAP_KEYS, DnsSection.KEYS, ConfigLoader.SECTIONS,
                ChecksSection.KEYS, ChecksSection.LISTENER_KEYS,
                OutboundSection.KEYS, OutboundSection.RELAYHOST_KEYS, OutboundSection.TIMEOUT_KEYS, QueueSection.KEYS)
                .flatMap(List::stream).toList()) {
            assertThat(reference).as("config/mailserver.yml mentions " + key).containsPattern("(?m)(^|[\\s{#])" + key + ":");
            assertThat(documentation).as("docs/configuration.md mentions " + key).contains("`" + key + "`");
        }
    }

    @Test
    void imapAuthMechanismsDefaultToPlainAndLoginAndScramIsOptIn() throws Exception {
        assertThat(ConfigFiles.load(folder, "").imap().authMechanisms()).containsExactly("PLAIN", "LOGIN");

        MailserverConfig config = ConfigFiles.load(folder, """
                imap:
                  auth-mechanisms: [scram-sha-256, PLAIN, plain]
                """);
        assertThat(config.imap().authMechanisms()).containsExactly("SCRAM-SHA-256", "PLAIN");
        assertThat(config.pop3().authMechanisms()).containsExactly("PLAIN", "LOGIN");

        assertThatThrownBy(() -> ConfigFiles.load(folder, """
                imap:
                  auth-mechanisms: [PLAIN, CRAM-MD5]
                """)).hasMessageContaining("imap.auth-mechanisms").hasMessageContaining("must be one of PLAIN, LOGIN, SCRAM-SHA-256");
        assertThatThrownBy(() -> ConfigFiles.load(folder, """
                pop3:
                  auth-mechanisms: [PLAIN]
                """)).hasMessageContaining("pop3.auth-mechanisms");
    }

    @Test
    void queueDefaultsArePostfixsAndEveryKeyCanBeSet() throws Exception {
        assertThat(ConfigFiles.load(folder, "").queue()).isEqualTo(new QueueConfig(Duration.ofMinutes(5),
                Duration.ofHours(1), Duration.ofDays(5), Duration.ofDays(5), 20, 100, Duration.ofMinutes(1), Duration.ZERO));

        MailserverConfig config = ConfigFiles.load(folder, """
                queue:
                  min-backoff: 2s
                  max-backoff: 10s
                  max-lifetime: 1m
                  bounce-lifetime: 30s
                  destination-concurrency: 2
                  max-concurrency: 5
                  scan-interval: 500ms
                  delay-warning: 4h
                """);

        assertThat(config.queue()).isEqualTo(new QueueConfig(Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofMinutes(1), Duration.ofSeconds(30), 2, 5, Duration.ofMillis(500), Duration.ofHours(4)));
    }
}
