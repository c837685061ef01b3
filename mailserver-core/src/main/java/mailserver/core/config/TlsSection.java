package mailserver.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code tls:} the certificate chain and private key, both or neither. Neither means a
 * self-signed certificate generated in {@code <data-dir>/tls}. The files must exist now, so
 * {@code config check} catches a mistyped path before the server is restarted with it.
 */
final class TlsSection {

    static final String NAME = "tls";
    static final List<String> KEYS = List.of("certificate", "private-key");

    /** Under data-dir. */
    static final String GENERATED_DIR = "tls";

    private TlsSection() {
    }

    static TlsConfig bind(Section root, Path dataDir) {
        Section tls = root.section(NAME, KEYS);
        Optional<Path> certificate = tls.value("certificate", text -> existingFile(tls.resolve(text)));
        Optional<Path> privateKey = tls.value("private-key", text -> existingFile(tls.resolve(text)));
        requireBoth(tls, "certificate", "private-key");
        requireBoth(tls, "private-key", "certificate");
        Path generated = dataDir.resolve(GENERATED_DIR);
        if (certificate.isPresent() && privateKey.isPresent()) {
            return new TlsConfig(certificate.get(), privateKey.get(), generated);
        }
        return new TlsConfig(null, null, generated);
    }

    private static void requireBoth(Section tls, String present, String missing) {
        if (tls.has(present) && !tls.has(missing)) {
            tls.problem(present, "is set but " + tls.keyPath(missing) + " is missing; set both,"
                    + " or neither to use a generated self-signed certificate");
        }
    }

    private static Path existingFile(Path file) throws InvalidValueException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidValueException("no such file: " + file);
        }
        return file;
    }
}
