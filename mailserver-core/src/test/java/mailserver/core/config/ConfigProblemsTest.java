package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of problem, each with the exact key and line an admin is sent to. */
class ConfigProblemsTest {

    @TempDir
    Path folder;

    @Test
    void unknownKeySuggestsTheClosestAndListsTheAllowed() {
        List<ConfigProblem> problems = problems("""
                server:
                  hostname: mail.example.test
                listeners:
                  smtp:
                    prot: 2525
                """);

        assertThat(problems).containsExactly(new ConfigProblem("mailserver.yml", "listeners.smtp.prot", 5, 5,
                "unknown key; did you mean 'port'? allowed: address, port, enabled"));
        assertThat(problems.get(0)).hasToString("mailserver.yml:5:5: listeners.smtp.prot: "
                + "unknown key; did you mean 'port'? allowed: address, port, enabled");
    }

    @Test
    void unknownKeyFarFromAnyKnownOneOnlyListsTheAllowed() {
        assertThat(single("colour: blue\n")).isEqualTo(new ConfigProblem("mailserver.yml", "colour", 1, 1,
                "unknown key; allowed: " + String.join(", ", ConfigLoader.SECTIONS)));
        assertThat(single("server:\n  data_dir: x\n").message()).startsWith("unknown key; did you mean 'data-dir'?");
        assertThat(single("listeners:\n  imsp: {}\n").message()).startsWith("unknown key; did you mean 'imap'?");
    }

    @Test
    void wordsWhereANumberBelongs() {
        assertProblem(single("listeners:\n  smtp:\n    port: \"abc\"\n"),
                "listeners.smtp.port", 3, 11, "must be a whole number from 1 to 65535, not 'abc'");
        assertProblem(single("directory:\n  max-pool-size: 2.5\n"),
                "directory.max-pool-size", 2, 18, "must be a whole number from 1 to 1000, not '2.5'");
    }

    @Test
    void portOutOfRange() {
        assertProblem(single("listeners:\n  imap:\n    port: 99999\n"),
                "listeners.imap.port", 3, 11, "must be a whole number from 1 to 65535, not '99999'");
        assertProblem(single("listeners:\n  imap:\n    port: 0\n"),
                "listeners.imap.port", 3, 11, "must be a whole number from 1 to 65535, not '0'");
        assertProblem(single("listeners:\n  imap:\n    port: -143\n"),
                "listeners.imap.port", 3, 11, "must be a whole number from 1 to 65535, not '-143'");
    }

    @Test
    void queueTimingsThatCannotWork() {
        assertProblem(single("queue:\n  min-backoff: 10m\n  max-backoff: 5m\n"),
                "queue.max-backoff", 3, 3, "must not be shorter than queue.min-backoff");
        assertProblem(single("queue:\n  max-lifetime: 0\n"),
                "queue.max-lifetime", 2, 17, "must be longer than 0");
    }

    @Test
    void notABoolean() {
        assertProblem(single("listeners:\n  pop3: { enabled: yes }\n"),
                "listeners.pop3.enabled", 2, 20, "must be true or false, not 'yes'");
    }

    @Test
    void twoEnabledListenersOnTheSameAddressAndPort() {
        ConfigProblem problem = single("""
                listeners:
                  smtp: { port: 2525 }
                  imap:
                    address: 0.0.0.0
                    port: 2525
                """);

        assertThat(problem.key()).isEqualTo("listeners.imap.port");
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.message()).startsWith("0.0.0.0:2525 is already taken by listeners.smtp (0.0.0.0:2525)");
    }

    @Test
    void aWildcardAddressOverlapsEveryOtherAddressOnThatPort() {
        ConfigProblem problem = single("""
                listeners:
                  smtp: { address: 127.0.0.1, port: 2525 }
                  pop3: { address: "::", port: 2525 }
                """);

        assertThat(problem.key()).isEqualTo("listeners.pop3.port");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.message()).startsWith("[::]:2525 is already taken by listeners.smtp (127.0.0.1:2525)");
    }

    @Test
    void aDefaultPortCanCollideWithAnExplicitOne() {
        ConfigProblem problem = single("listeners:\n  pop3s:\n    address: 0.0.0.0\n  imaps: { port: 995 }\n");

        assertThat(problem.key()).as("pop3s keeps its default 995, which imaps took first").isEqualTo("listeners.pop3s.address");
        assertThat(problem.line()).isEqualTo(3);
    }

    @Test
    void malformedHostname() {
        assertProblem(single("server:\n  hostname: mail_server..example\n"), "server.hostname", 2, 13,
                "must be " + HostNames.HOSTNAME_EXPECTED + ", not 'mail_server..example'");
    }

    @Test
    void badDuration() {
        assertProblem(single("server:\n  shutdown-grace: 30 parsecs\n"), "server.shutdown-grace", 2, 19,
                "must be a duration like 30s, 5m, 1h, 2d or 500ms, not '30 parsecs'");
        assertThat(single("directory:\n  cache-ttl: 1w\n").key()).isEqualTo("directory.cache-ttl");
    }

    @Test
    void jdbcUrlWithAnotherScheme() {
        assertProblem(single("directory:\n  jdbc-url: jdbc:postgresql://db/mail?password=secret\n"),
                "directory.jdbc-url", 2, 13,
                "must be a JDBC URL starting with jdbc:h2:, jdbc:mariadb: or jdbc:mysql:, not 'jdbc:postgresql:'");
        assertThat(single("directory:\n  jdbc-url: jdbc:h2:file:;MODE=MariaDB\n").message())
                .startsWith("an H2 URL needs a database file path");
    }

    @Test
    void badListenAddress() {
        assertProblem(single("listeners:\n  smtp:\n    address: 10.0.0.300\n"), "listeners.smtp.address", 3, 14,
                "must be " + HostNames.ADDRESS_EXPECTED + ", not '10.0.0.300'");
        assertThat(single("listeners:\n  smtp:\n    address: \"fe80:::1::2\"\n").key()).isEqualTo("listeners.smtp.address");
        assertThat(single("listeners:\n  smtp:\n    address: \"-bad-\"\n").key()).isEqualTo("listeners.smtp.address");
    }

    @Test
    void certificateWithoutPrivateKey() throws IOException {
        Files.writeString(folder.resolve("cert.pem"), "chain");

        assertProblem(single("tls:\n  certificate: cert.pem\n"), "tls.certificate", 2, 3,
                "is set but tls.private-key is missing; set both, or neither to use a generated self-signed certificate");
        assertThat(single("tls:\n  private-key: cert.pem\n").key()).isEqualTo("tls.private-key");
    }

    @Test
    void certificateFileThatDoesNotExist() throws IOException {
        Files.writeString(folder.resolve("key.pem"), "key");

        assertProblem(single("tls:\n  certificate: missing.pem\n  private-key: key.pem\n"), "tls.certificate", 2, 16,
                "no such file: " + folder.resolve("missing.pem"));
    }

    @Test
    void passwordAndPasswordFileTogether() throws IOException {
        Files.writeString(folder.resolve("pw"), "x");

        assertProblem(single("directory:\n  password: a\n  password-file: pw\n"), "directory.password-file", 3, 3,
                "cannot be used together with directory.password (line 2); keep one of them");
    }

    @Test
    void passwordFileThatDoesNotExistOrIsTooBig() throws IOException {
        assertProblem(single("directory:\n  password-file: nope\n"), "directory.password-file", 2, 18,
                "no such file: " + folder.resolve("nope"));
        Files.write(folder.resolve("big"), new byte[Secrets.MAX_PASSWORD_FILE_BYTES + 1]);
        assertThat(single("directory:\n  password-file: big\n").message()).contains("is larger than 4096 bytes");
    }

    @Test
    void unsetEnvironmentVariableNamesTheVariableKeyAndLine() {
        assertProblem(single("directory:\n  username: mail\n  password: ${DB_PASSWORD}\n"),
                "directory.password", 3, 13,
                "environment variable DB_PASSWORD is not set (write ${DB_PASSWORD:-default} to fall back to a default)");
        assertThat(single("server:\n  hostname: ${1HOST}\n").message()).contains("does not name an environment variable");
        assertThat(single("server:\n  hostname: \"${HOST\"\n").message()).contains("is not closed");
    }

    @Test
    void yamlSyntaxErrorHasItsLineAndColumn() {
        ConfigProblem problem = single("server:\n  hostname: a: b\n");
        assertThat(problem.key()).isEmpty();
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.column()).isEqualTo(14);
        assertThat(problem.message()).startsWith("YAML syntax error: mapping values are not allowed here");

        ConfigProblem tab = single("server:\n\thostname: x\n");
        assertThat(tab.line()).isEqualTo(2);
        assertThat(tab.column()).isEqualTo(1);
        assertThat(tab.message()).contains("TAB");
        assertThat(tab.toString()).doesNotContain("\n");
    }

    @Test
    void topLevelThatIsNotAMapping() {
        assertProblem(single("- server\n- tls\n"), "", 1, 1,
                "the top level must be a mapping of the sections " + String.join(", ", ConfigLoader.SECTIONS) + ", not a list");
        assertThat(single("just words\n").message()).endsWith("not a single value");
    }

    @Test
    void sectionThatIsNotAMappingAndValueThatIsNotAScalar() {
        assertProblem(single("server: mail.example.test\n"), "server", 1, 1,
                "must be a mapping with the keys hostname, data-dir, shutdown-grace, not a single value");
        assertProblem(single("server:\n  hostname: [a, b]\n"), "server.hostname", 2, 13,
                "must be a single value, not a list");
    }

    @Test
    void duplicateKeysAliasesAndSecondDocumentsAreRefused() {
        assertProblem(single("server:\n  hostname: a.test\n  hostname: b.test\n"), "server.hostname", 3, 3,
                "duplicate key; already set on line 2");
        assertThat(single("server:\n  hostname: &h a.test\nlisteners:\n  smtp:\n    address: *h\n"))
                .extracting(ConfigProblem::key, ConfigProblem::line)
                .containsExactly("listeners.smtp.address", 5);
        assertThat(single("server: {}\n---\nserver: {}\n").line()).isEqualTo(3);
    }

    @Test
    void tooDeeplyNestedInputIsCutOff() {
        String deep = "server:\n  hostname: " + "[".repeat(40) + "]".repeat(40) + "\n";

        assertThat(problems(deep)).extracting(ConfigProblem::message)
                .contains("nested deeper than " + YamlReader.MAX_DEPTH + " levels");
    }

    @Test
    void fileThatCannotBeUsedAtAll() throws IOException {
        Path binary = folder.resolve("binary.yml");
        Files.write(binary, new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
        assertThat(load(binary).problems()).singleElement().extracting(ConfigProblem::message)
                .isEqualTo(binary.toAbsolutePath() + " is not UTF-8 text");

        Path huge = folder.resolve("huge.yml");
        Files.write(huge, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);
        assertThat(load(huge).problems()).singleElement().extracting(ConfigProblem::message).asString()
                .contains("is larger than 1048576 bytes");

        ConfigException missing = load(folder.resolve("absent.yml"));
        assertThat(missing.problems()).singleElement().hasToString("absent.yml: no such file: " + folder.resolve("absent.yml"));
    }

    @Test
    void everyProblemIsReportedInFileOrder() {
        ConfigException e = exception("""
                server:
                  hostnme: mail.example.test
                  shutdown-grace: forever
                directory:
                  jdbc-url: jdbc:oracle:thin:@db
                  password: ${MISSING}
                listeners:
                  smtp:
                    port: abc
                  imap:
                    address: 999.1.1.1
                    port: 70000
                """);

        assertThat(e.problems()).extracting(ConfigProblem::key, ConfigProblem::line).containsExactly(
                tuple("server.hostnme", 2),
                tuple("server.shutdown-grace", 3),
                tuple("directory.jdbc-url", 5),
                tuple("directory.password", 6),
                tuple("listeners.smtp.port", 9),
                tuple("listeners.imap.address", 11),
                tuple("listeners.imap.port", 12));
        assertThat(e.getMessage().lines()).hasSize(7).allMatch(line -> line.startsWith("mailserver.yml:"));
    }

    @Test
    void relayNetworksAreCheckedItemByItem() {
        List<ConfigProblem> problems = problems("smtp:\n  relay-networks:\n    - 10.0.0.0/8\n    - example.org\n"
                + "    - 10.0.0.0/33\n    - [nested]\n");
        assertThat(problems).extracting(ConfigProblem::key, ConfigProblem::line).containsExactly(
                tuple("smtp.relay-networks", 4), tuple("smtp.relay-networks", 5), tuple("smtp.relay-networks", 6));
        assertThat(problems.get(0).message()).startsWith("must be an IP address or network like 192.0.2.0/24");
        assertThat(problems.get(1).message()).contains("prefix length 33");
        assertThat(problems.get(2).message()).isEqualTo("each item must be a single value, not a list");
    }

    @Test
    void smtpImapPop3AndLimitsValues() {
        assertProblem(single("smtp:\n  max-message-size: 10 MB\n"), "smtp.max-message-size", 2, 21,
                "must be a size like 512K, 10M, 1G or a number of bytes, not '10 MB'");
        assertProblem(single("smtp:\n  max-recipients: 0\n"), "smtp.max-recipients", 2, 19,
                "must be a whole number from 1 to 100000, not '0'");
        assertProblem(single("imap:\n  allow-plaintext-auth: maybe\n"), "imap.allow-plaintext-auth", 2, 25,
                "must be true or false, not 'maybe'");
        assertProblem(single("pop3:\n  idle-timout: 10m\n"), "pop3.idle-timout", 2, 3,
                "unknown key; did you mean 'idle-timeout'? allowed: allow-plaintext-auth, idle-timeout");
        assertProblem(single("limits:\n  max-connections-per-ip: none\n"), "limits.max-connections-per-ip", 2, 27,
                "must be a whole number from 1 to 1000000, not 'none'");
    }

    @Test
    void dnsServersTimeoutAndRetries() {
        List<ConfigProblem> problems = problems("dns:\n  servers:\n    - 192.0.2.53\n    - ns.example.test\n"
                + "    - 192.0.2.53:70000\n    - 2001:db8::53:53:53:53:53:53\n    - [nested]\n");
        assertThat(problems).extracting(ConfigProblem::key, ConfigProblem::line).containsExactly(
                tuple("dns.servers", 4), tuple("dns.servers", 5), tuple("dns.servers", 6), tuple("dns.servers", 7));
        assertThat(problems.get(0).message()).isEqualTo("must be an IP address with an optional port, like "
                + "192.0.2.53, 192.0.2.53:5353, 2001:db8::53 or [2001:db8::53]:5353, not 'ns.example.test'");
        assertThat(problems.get(1).message()).contains("(port 1 to 65535)");
        assertThat(problems.get(3).message()).isEqualTo("each item must be a single value, not a list");
        assertProblem(single("dns:\n  timeout: 0\n"), "dns.timeout", 2, 12, "must be longer than 0, e.g. 5s or 500ms");
        assertProblem(single("dns:\n  timeout: soon\n"), "dns.timeout", 2, 12,
                "must be a duration like 30s, 5m, 1h, 2d or 500ms, not 'soon'");
        assertProblem(single("dns:\n  retries: 11\n"), "dns.retries", 2, 12,
                "must be a whole number from 0 to 10, not '11'");
        assertProblem(single("dns:\n  cache: sometimes\n"), "dns.cache", 2, 10, "must be true or false, not 'sometimes'");
    }

    @Test
    void theEnvironmentOnlyFillsValuesNeverKeys() {
        assertThatThrownBy(() -> ConfigFiles.load(folder, "server:\n  ${KEY}: x\n", Map.of("KEY", "hostname")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.${KEY}: unknown key");
    }

    private static void assertProblem(ConfigProblem problem, String key, int line, int column, String message) {
        assertThat(problem).isEqualTo(new ConfigProblem("mailserver.yml", key, line, column, message));
    }

    private ConfigProblem single(String yaml) {
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).as(yaml).hasSize(1);
        return problems.get(0);
    }

    private List<ConfigProblem> problems(String yaml) {
        return exception(yaml).problems();
    }

    private ConfigException exception(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigFiles.load(folder, yaml, Map.of()));
        assertThat(e).as("problems in:\n" + yaml).isNotNull();
        return e;
    }

    private static ConfigException load(Path file) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, name -> null));
    }
}
