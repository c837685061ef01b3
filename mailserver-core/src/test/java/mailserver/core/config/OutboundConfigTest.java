package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mailserver.core.config.OutboundConfig.NextHop;
import mailserver.core.config.OutboundConfig.TlsPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code outbound:} section: defaults, the next-hop syntax, and a problem for each mistake. */
class OutboundConfigTest {

    @TempDir
    Path folder;

    @Test
    void defaultsAreLikePostfix() throws ConfigException {
        OutboundConfig outbound = ConfigFiles.load(folder, "server:\n  hostname: mail.example.test\n").outbound();

        assertThat(outbound.heloName()).isEqualTo("mail.example.test");
        assertThat(outbound.port()).isEqualTo(25);
        assertThat(outbound.tls()).isEqualTo(TlsPolicy.MAY);
        assertThat(outbound.relayhost()).isNull();
        assertThat(outbound.transports()).isEmpty();
        assertThat(outbound.connectionCacheTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(outbound.timeouts()).isEqualTo(new OutboundConfig.Timeouts(Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2),
                Duration.ofMinutes(10)));
    }

    @Test
    void everyKeyRead() throws Exception {
        Files.writeString(folder.resolve("relay-password"), "s3cret\n");
        OutboundConfig outbound = ConfigFiles.load(folder, """
                outbound:
                  helo-name: out.example.test
                  port: 2525
                  tls: encrypt
                  relayhost:
                    host: "[smtp.provider.example]"
                    port: 587
                    tls: implicit
                    username: mailer@example.test
                    password-file: relay-password
                    allow-plaintext-auth: true
                  transports:
                    Lab.Example: "[10.0.0.5]:2525"
                    mx.example: mail.mx.example
                    six.example: "[2001:db8::1]:26"
                  connection-cache-time: 0
                  timeouts: { connect: 1s, helo: 2s, mail: 3s, rcpt: 4s, data-init: 5s, data-done: 6s }
                """).outbound();

        assertThat(outbound.heloName()).isEqualTo("out.example.test");
        assertThat(outbound.port()).isEqualTo(2525);
        assertThat(outbound.tls()).isEqualTo(TlsPolicy.ENCRYPT);
        assertThat(outbound.relayhost()).isEqualTo(new OutboundConfig.Relayhost(
                new NextHop("smtp.provider.example", false, 587), TlsPolicy.IMPLICIT, "mailer@example.test", "s3cret", true));
        assertThat(outbound.relayhost().toString()).doesNotContain("s3cret");
        assertThat(outbound.transports()).isEqualTo(Map.of(
                "lab.example", new NextHop("10.0.0.5", false, 2525),
                "mx.example", new NextHop("mail.mx.example", true, 2525),
                "six.example", new NextHop("2001:db8::1", false, 26)));
        assertThat(outbound.connectionCacheTime()).isZero();
        assertThat(outbound.timeouts()).isEqualTo(new OutboundConfig.Timeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5),
                Duration.ofSeconds(6)));
    }

    @Test
    void implicitTlsRelayhostDefaultsToPort465() throws ConfigException {
        OutboundConfig outbound = ConfigFiles.load(folder, "outbound:\n  relayhost: { host: smtp.example.test, tls: implicit }\n")
                .outbound();

        assertThat(outbound.relayhost().hop()).isEqualTo(new NextHop("smtp.example.test", true, 465));
        assertThat(outbound.relayhost().username()).isEmpty();
    }

    @Test
    void problemsNameTheKeyAndLine() {
        assertThat(problems("outbound:\n  tls: verify\n")).containsExactly(new ConfigProblem("mailserver.yml",
                "outbound.tls", 2, 8, "must be none, may or encrypt, not 'verify'"));
        assertThat(problems("outbound:\n  tls: implicit\n")).extracting(ConfigProblem::message)
                .containsExactly("must be none, may or encrypt, not 'implicit'");
        assertThat(problems("outbound:\n  transports:\n    example.com: \"[10.0.0.5]:99999\"\n"))
                .containsExactly(new ConfigProblem("mailserver.yml", "outbound.transports.example.com", 3, 18,
                        "must be host, [host], host:port or [host]:port with a port from 1 to 65535, not '[10.0.0.5]:99999'"));
        assertThat(problems("outbound:\n  transports:\n    example.com: 10.0.0.5\n")).extracting(ConfigProblem::message)
                .containsExactly("an IP address must be in [brackets], like [192.0.2.1], not '10.0.0.5'");
        assertThat(problems("outbound:\n  transports:\n    bad_domain: \"[h.example]\"\n"))
                .extracting(ConfigProblem::key, ConfigProblem::line, ConfigProblem::column)
                .containsExactly(org.assertj.core.api.Assertions.tuple("outbound.transports.bad_domain", 3, 5));
        assertThat(problems("outbound:\n  transports: [a, b]\n")).extracting(ConfigProblem::message)
                .containsExactly("must be a mapping, not a list");
        assertThat(problems("outbound:\n  relayhost:\n    port: 587\n")).containsExactly(new ConfigProblem(
                "mailserver.yml", "outbound.relayhost.port", 3, 5,
                "needs outbound.relayhost.host to say which server to relay through"));
        assertThat(problems("outbound:\n  relayhost:\n    host: smtp.example.test\n    username: u\n"))
                .extracting(ConfigProblem::message)
                .containsExactly("is set but neither outbound.relayhost.password nor outbound.relayhost.password-file is");
        assertThat(problems("outbound:\n  relayhost: { host: a.test, password: x, password-file: f }\n"))
                .extracting(ConfigProblem::key).containsExactly("outbound.relayhost.password-file");
        assertThat(problems("outbound:\n  timeouts:\n    rcpt: 0\n")).containsExactly(new ConfigProblem(
                "mailserver.yml", "outbound.timeouts.rcpt", 3, 11, "must be longer than 0"));
        assertThat(problems("outbound:\n  timeouts:\n    data-dnoe: 1s\n")).extracting(ConfigProblem::message)
                .containsExactly("unknown key; did you mean 'data-done'? allowed: connect, helo, mail, rcpt, data-init, data-done");
    }

    private List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigFiles.load(folder, yaml, Map.of()));
        assertThat(e).as("problems in:\n" + yaml).isNotNull();
        return e.problems();
    }
}
