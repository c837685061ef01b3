package mailserver.dist.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password: the first line of stdin with {@code --password-stdin} (for scripts),
 * else twice from the terminal without echo. Never from the command line, where it would
 * end up in the shell history and in {@code ps}.
 */
final class PasswordInput {

    private PasswordInput() {
    }

    static char[] read(boolean fromStdin, InputStream stdin) {
        if (fromStdin) {
            return firstLine(stdin);
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandFailedException("no terminal to ask for the password: use --password-stdin");
        }
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Repeat it: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new CommandFailedException("the two passwords differ; nothing changed");
        }
        Arrays.fill(second, '\0');
        return requireNotEmpty(first);
    }

    private static char[] firstLine(InputStream stdin) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            String line = reader.readLine();
            return requireNotEmpty(line == null ? new char[0] : line.toCharArray());
        } catch (IOException e) {
            throw new CommandFailedException("cannot read the password from stdin: " + e.getMessage());
        }
    }

    private static char[] requireNotEmpty(char[] password) {
        if (password.length == 0) {
            throw new CommandFailedException("empty password; nothing changed");
        }
        return password;
    }
}
