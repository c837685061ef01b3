package mailserver.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real client program (python3, curl, fetchmail, Dovecot's pop3) as a subprocess. A test
 * whose program is missing is skipped with the Debian package to install, except under
 * {@code CI=true}, where a missing program is a broken setup and fails the test.
 */
final class ExternalTool {

    /** Exit code and outputs of one run. */
    record Run(int exitCode, String output, String errors) {
    }

    private ExternalTool() {
    }

    /** The first of {@code candidates} that is executable; skips or fails the test when there is none. */
    static Path require(String debianPackage, String... candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        String what = String.join(" or ", candidates) + " (Debian package " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(what + " is missing, and CI=true requires it");
        }
        Assumptions.abort(what + " is missing; skipped (CI=true would fail instead)");
        throw new IllegalStateException("unreachable");
    }

    /** Runs {@code command}, feeding {@code stdin}. */
    static Run run(List<String> command, Map<String, String> environment, byte[] stdin)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<byte[]> output = drain(process.getInputStream());
        CompletableFuture<byte[]> errors = drain(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("%s ended within 2 minutes", command).isTrue();
        return new Run(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8),
                new String(errors.join(), StandardCharsets.UTF_8));
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = stream) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
