package mailserver.core.config;

import java.nio.file.Path;
import java.util.List;

/** {@code storage:} where the Maildirs live. */
final class StorageSection {

    static final String NAME = "storage";
    static final List<String> KEYS = List.of("maildir-root");

    /** Under data-dir. */
    static final String DEFAULT_MAILDIR_ROOT = "mail";

    private StorageSection() {
    }

    static StorageConfig bind(Section root, Path dataDir) {
        Section storage = root.section(NAME, KEYS);
        return new StorageConfig(storage.path("maildir-root").orElse(dataDir.resolve(DEFAULT_MAILDIR_ROOT)));
    }
}
