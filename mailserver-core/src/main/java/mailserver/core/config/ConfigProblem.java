package mailserver.core.config;

/**
 * One thing wrong with a configuration file, placed like a compiler error so editors and
 * admins can jump to it:
 * {@code mailserver.yml:12:3: listeners.smtp.prot: unknown key; did you mean 'port'? allowed: address, port, enabled}.
 *
 * @param file    the file's name
 * @param key     the dotted key path, e.g. {@code listeners.smtp.port}; empty for the file as a whole
 * @param line    1-based; 0 when the problem has no place in the file (e.g. it cannot be read)
 * @param column  1-based; 0 with {@code line} 0
 * @param message what is wrong and what is allowed
 */
public record ConfigProblem(String file, String key, int line, int column, String message) {

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(": ");
        if (!key.isEmpty()) {
            out.append(key).append(": ");
        }
        return out.append(message).toString();
    }
}
