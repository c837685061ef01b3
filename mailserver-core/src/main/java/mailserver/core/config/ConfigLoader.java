package mailserver.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the one YAML configuration file into {@link MailserverConfig}. Every key is optional;
 * every problem (unknown key, wrong type, impossible value, YAML syntax) is collected with its
 * key and line and thrown together in one {@link ConfigException}. Relative paths are relative
 * to the file's folder, so a config works the same from any working directory.
 */
public final class ConfigLoader {

    /** A config file is a few kilobytes; a megabyte is the wrong file, not a big config. */
    static final int MAX_FILE_BYTES = 1 << 20;

    static final List<String> SECTIONS = List.of(
            ServerSection.NAME, TlsSection.NAME, DirectorySection.NAME, StorageSection.NAME, ListenersSection.NAME,
            LimitsSection.NAME, SmtpSection.NAME, MailAccessSection.IMAP, MailAccessSection.POP3, DnsSection.NAME,
            ChecksSection.NAME, OutboundSection.NAME, QueueSection.NAME);

    private ConfigLoader() {
    }

    /** Reads and validates {@code file}, with {@code ${ENV}} placeholders taken from this process's environment. */
    public static MailserverConfig load(Path file) throws ConfigException {
        return load(file, System::getenv);
    }

    /** The configuration of an empty file whose folder is {@code baseDir}. */
    public static MailserverConfig defaults(Path baseDir) {
        Problems problems = new Problems("(defaults)");
        LoadContext context = new LoadContext(baseDir.toAbsolutePath().normalize(), problems, new Placeholders(name -> null));
        MailserverConfig config = bind(null, YamlNode.Mapping.empty(Position.NONE), context);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the built-in defaults are invalid: " + problems.exception().getMessage());
        }
        return config;
    }

    /** @param environment variable name to value, {@code null} when unset; tests pass their own */
    static MailserverConfig load(Path file, Function<String, String> environment) throws ConfigException {
        Path source = file.toAbsolutePath().normalize();
        String text;
        try {
            text = TextFiles.read(source, MAX_FILE_BYTES);
        } catch (InvalidValueException e) {
            Problems problems = problemsFor(source);
            problems.add("", Position.NONE, e.getMessage());
            throw problems.exception();
        }
        return parse(text, source, environment);
    }

    /** {@code text} as if read from {@code source}, an absolute path. */
    static MailserverConfig parse(String text, Path source, Function<String, String> environment)
            throws ConfigException {
        Problems problems = problemsFor(source);
        Optional<YamlNode> document = YamlReader.read(text, problems);
        if (document.isEmpty()) {
            throw problems.exception();
        }
        MailserverConfig config = bind(source, document.get(),
                new LoadContext(source.getParent(), problems, new Placeholders(environment)));
        problems.throwIfAny();
        return config;
    }

    private static Problems problemsFor(Path source) {
        Path name = source.getFileName();
        return new Problems(name == null ? source.toString() : name.toString());
    }

    /** data-dir comes first: the defaults of the other sections live under it. */
    private static MailserverConfig bind(Path source, YamlNode document, LoadContext context) {
        Section root = Section.root(document, SECTIONS, context);
        ServerConfig server = ServerSection.bind(root);
        return new MailserverConfig(
                source,
                server,
                TlsSection.bind(root, server.dataDir()),
                DirectorySection.bind(root, server.dataDir()),
                StorageSection.bind(root, server.dataDir()),
                ListenersSection.bind(root),
                LimitsSection.bind(root),
                SmtpSection.bind(root),
                MailAccessSection.bind(root, MailAccessSection.IMAP, MailAccessSection.IMAP_IDLE_TIMEOUT),
                MailAccessSection.bind(root, MailAccessSection.POP3, MailAccessSection.POP3_IDLE_TIMEOUT),
                DnsSection.bind(root),
                ChecksSection.bind(root, server.hostname()),
                OutboundSection.bind(root, server),
                QueueSection.bind(root));
    }
}
