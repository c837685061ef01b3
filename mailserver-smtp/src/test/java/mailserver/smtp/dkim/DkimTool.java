package mailserver.smtp.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs another DKIM implementation (python3-dkim, OpenDKIM) as a subprocess. A test whose
 * program is missing is skipped with the Debian package to install, except under
 * {@code CI=true}, where a missing program is a broken setup and fails the test.
 */
final class DkimTool {

    private DkimTool() {
    }

    /** Skips or fails the test unless every one of {@code programs} is executable. */
    static void require(String debianPackage, String... programs) {
        for (String program : programs) {
            if (Files.isExecutable(Path.of(program))) {
                continue;
            }
            String what = program + " (Debian package " + debianPackage + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(what + " is missing, and CI=true requires it");
            }
            Assumptions.abort(what + " is missing; skipped (CI=true would fail instead)");
        }
    }

    /** Runs {@code command} in {@code dir} with {@code stdin}; its standard output, after checking it exited 0. */
    static byte[] run(Path dir, List<String> command, byte[] stdin) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
            CompletableFuture<byte[]> output = drain(process.getInputStream());
            CompletableFuture<byte[]> errors = drain(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            }
            boolean ended = process.waitFor(1, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            assertThat(ended).as("%s ended within a minute", command).isTrue();
            assertThat(process.exitValue()).as("%s exit code; stderr: %s", command,
                    new String(errors.join(), StandardCharsets.UTF_8)).isZero();
            return output.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = stream) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
