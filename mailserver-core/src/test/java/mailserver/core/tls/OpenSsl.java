package mailserver.core.tls;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code openssl} command line tool (Debian package {@code openssl}), so PEM fixtures
 * come from an independent implementation rather than from our own generator.
 */
final class OpenSsl {

    record Result(int exitCode, String output) {
    }

    private static final boolean AVAILABLE = probe();

    private OpenSsl() {
    }

    /** Skips the calling test when openssl is missing, but fails it on CI, where it must be installed. */
    static void assumeAvailable() {
        if (AVAILABLE) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("the openssl command is required on CI (Debian package openssl)");
        }
        assumeTrue(false, "skipped: the openssl command is not installed (Debian package openssl)");
    }

    /** Runs openssl in {@code dir} and fails the test unless it exits with 0. */
    static void run(Path dir, String... arguments) {
        Result result = execute(dir, "", arguments);
        if (result.exitCode() != 0) {
            fail("openssl " + String.join(" ", arguments) + " failed (" + result.exitCode() + "): " + result.output());
        }
    }

    /** Runs openssl in {@code dir} with {@code input} on stdin; stdout and stderr together. */
    static Result execute(Path dir, String input, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("openssl " + String.join(" ", arguments) + " did not finish");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean probe() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
