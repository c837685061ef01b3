package mailserver.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes YAML into a test's temporary folder and loads it with an environment the test controls. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static Path write(Path folder, String yaml) {
        try {
            return Files.writeString(folder.resolve("mailserver.yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MailserverConfig load(Path folder, String yaml) throws ConfigException {
        return ConfigLoader.load(write(folder, yaml), name -> null);
    }

    static MailserverConfig load(Path folder, String yaml, Map<String, String> environment) throws ConfigException {
        return ConfigLoader.load(write(folder, yaml), environment::get);
    }
}
