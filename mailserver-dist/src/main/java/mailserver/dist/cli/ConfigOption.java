package mailserver.dist.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import mailserver.auth.directory.DirectoryException;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.ConfigException;
import mailserver.core.config.ConfigLoader;
import mailserver.core.config.MailserverConfig;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every command takes. Without it: $MAILSERVER_CONFIG, then
 * the config/mailserver.yml of the installation the launcher runs from.
 */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The YAML configuration file (default: $MAILSERVER_CONFIG, "
                    + "else config/mailserver.yml of this installation).")
    private Path file;

    Path file() {
        if (file != null) {
            return file;
        }
        String fromEnv = System.getenv("MAILSERVER_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String home = System.getProperty("mailserver.home");
        if (home != null) {
            return Path.of(home, "config", "mailserver.yml");
        }
        throw new CommandFailedException("no configuration file: pass --config FILE or set MAILSERVER_CONFIG");
    }

    MailserverConfig load() throws ConfigException {
        Path path = file();
        if (!Files.isRegularFile(path)) {
            throw new CommandFailedException("configuration file " + path + " does not exist");
        }
        return ConfigLoader.load(path);
    }

    /** Opens the directory the configuration names; the caller closes it. */
    JdbcDirectory openDirectory() throws ConfigException, DirectoryException {
        return JdbcDirectory.open(load().directory());
    }
}
