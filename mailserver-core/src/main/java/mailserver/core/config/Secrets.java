package mailserver.core.config;

import java.nio.file.Path;

/**
 * A section's {@code password} / {@code password-file} pair: the password in the YAML or read
 * from a file, so the YAML can be world-readable; not both.
 */
final class Secrets {

    /** A password file holds one line; anything bigger is the wrong file. */
    static final int MAX_PASSWORD_FILE_BYTES = 4096;

    private Secrets() {
    }

    /** The password from {@code password} or {@code password-file}, "" when neither is set. */
    static String password(Section section) {
        if (section.has("password") && section.has("password-file")) {
            section.problem("password-file", "cannot be used together with " + section.keyPath("password")
                    + " (line " + section.position("password").line() + "); keep one of them");
            return "";
        }
        if (section.has("password-file")) {
            return section.value("password-file", text -> readSecret(section.resolve(text))).orElse("");
        }
        return section.text("password").orElse("");
    }

    /** The file's content without its final line break: editors add one, passwords never end in one. */
    private static String readSecret(Path file) throws InvalidValueException {
        String content = TextFiles.read(file, MAX_PASSWORD_FILE_BYTES);
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
