package mailserver.core.config;

import java.nio.file.Path;

/**
 * @param maildirRoot the folder that the directory's {@code maildir} column is relative to;
 *                    an account without one lives in {@code maildirRoot/<domain>/<localpart>/}
 */
public record StorageConfig(Path maildirRoot) {
}
