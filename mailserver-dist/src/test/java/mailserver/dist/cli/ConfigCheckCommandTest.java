package mailserver.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {

    @TempDir
    Path folder;

    @Test
    void validFileExitsZero() throws IOException {
        Path file = folder.resolve("ok.yml");
        Files.writeString(file, "server:\n  hostname: mail.example.test\nlisteners:\n  smtp:\n    port: 2525\n");

        CliRun run = CliRun.of("config", "check", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("configuration OK");
    }

    @Test
    void misspeltKeyIsNamedWithItsLine() throws IOException {
        Path file = folder.resolve("typo.yml");
        Files.writeString(file, "server:\n  hostname: mail.example.test\nlisteners:\n  smtp:\n    prot: 2525\n");

        CliRun run = CliRun.of("config", "check", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("listeners.smtp.prot").contains(":5:").contains("port");
    }

    @Test
    void everyProblemIsListed() throws IOException {
        Path file = folder.resolve("bad.yml");
        Files.writeString(file, "server:\n  hostnme: x\nlisteners:\n  imap:\n    port: 99999\n");

        CliRun run = CliRun.of("config", "check", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("server.hostnme").contains("listeners.imap.port");
    }

    @Test
    void missingFileIsOneLine() {
        CliRun run = CliRun.of("config", "check", "--config", folder.resolve("absent.yml").toString());

        DirectoryCommandsTest.assertOneLineError(run, "absent.yml");
    }

    @Test
    void theShippedReferenceConfigIsValid() {
        CliRun run = CliRun.of("config", "check", "--config", "../config/mailserver.yml");

        assertThat(run.exitCode()).as(run.err()).isZero();
    }
}
