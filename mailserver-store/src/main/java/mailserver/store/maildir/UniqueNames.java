package mailserver.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes new message base names in Dovecot's style, {@code <secs>.M<usecs>P<pid>Q<n>.<host>}:
 * unique across processes (pid), hosts (host) and within this process (counter).
 */
public final class UniqueNames {

    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong counter = new AtomicLong();

    public UniqueNames(String host) {
        this.host = escapeHost(host);
    }

    public static UniqueNames forThisHost() {
        return new UniqueNames(hostName());
    }

    public String host() {
        return host;
    }

    public String next() {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        return (micros / 1_000_000) + ".M" + (micros % 1_000_000) + "P" + pid + "Q" + counter.incrementAndGet() + "." + host;
    }

    /** The host name without a resolver call, which may hang on a badly configured machine. */
    public static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            String file = Files.readString(Path.of("/etc/hostname"), StandardCharsets.US_ASCII).strip();
            if (!file.isEmpty()) {
                return file;
            }
        } catch (IOException | RuntimeException e) {
            // fall through: any stable name will do
        }
        return "localhost";
    }

    /** As Dovecot does: '/' and ':' would break the file name, so they become octal escapes. */
    static String escapeHost(String host) {
        return host.replace("/", "\\057").replace(":", "\\072").replace(",", "\\054");
    }
}
