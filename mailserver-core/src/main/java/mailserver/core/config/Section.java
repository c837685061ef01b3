package mailserver.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One mapping of the file ({@code server}, {@code listeners.smtp}, ...) with typed getters.
 * A getter answers empty when the key is absent or its value unusable; an unusable value is
 * reported with its key and line, so binders simply fall back to the default and go on, and
 * one load reports every problem. Unknown keys are reported when the section is opened.
 */
final class Section {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,10}");

    private final String path;
    private final Position position;
    private final Map<String, YamlNode.Entry> entries;
    private final List<String> allowed;
    private final LoadContext context;

    private Section(String path, Position position, YamlNode.Mapping mapping, List<String> allowed,
                    LoadContext context) {
        this.path = path;
        this.position = position;
        this.entries = mapping.entries();
        this.allowed = allowed;
        this.context = context;
        reportUnknownKeys();
    }

    static Section root(YamlNode document, List<String> allowed, LoadContext context) {
        if (document instanceof YamlNode.Mapping mapping) {
            return new Section("", Position.FILE_START, mapping, allowed, context);
        }
        if (!(document instanceof YamlNode.Null)) {
            context.problems().add("", document.position(), "the top level must be a mapping of the sections "
                    + String.join(", ", allowed) + ", not " + YamlNode.describe(document));
        }
        return new Section("", Position.FILE_START, YamlNode.Mapping.empty(Position.FILE_START), allowed, context);
    }

    /** The mapping under {@code key}; an empty one when the key is absent, empty or not a mapping. */
    Section section(String key, List<String> childKeys) {
        YamlNode.Entry entry = entry(key);
        if (entry == null) {
            return new Section(keyPath(key), position, YamlNode.Mapping.empty(position), childKeys, context);
        }
        if (entry.value() instanceof YamlNode.Mapping mapping) {
            return new Section(keyPath(key), entry.keyPosition(), mapping, childKeys, context);
        }
        if (!(entry.value() instanceof YamlNode.Null)) {
            problem(key, "must be a mapping with the keys " + String.join(", ", childKeys)
                    + ", not " + YamlNode.describe(entry.value()));
        }
        return new Section(keyPath(key), entry.keyPosition(), YamlNode.Mapping.empty(entry.keyPosition()),
                childKeys, context);
    }

    /** The scalar under {@code key} with {@code ${ENV}} placeholders replaced. */
    Optional<String> text(String key) {
        return value(key, text -> text);
    }

    <T> Optional<T> value(String key, ValueParser<T> parser) {
        YamlNode.Entry entry = entry(key);
        if (entry == null || entry.value() instanceof YamlNode.Null) {
            return Optional.empty();
        }
        if (!(entry.value() instanceof YamlNode.Scalar scalar)) {
            context.problems().add(keyPath(key), entry.value().position(),
                    "must be a single value, not " + YamlNode.describe(entry.value()));
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(context.placeholders().resolve(scalar.text())));
        } catch (InvalidValueException e) {
            context.problems().add(keyPath(key), scalar.position(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The list under {@code key}, each item parsed; a single value counts as a list of one.
     * Items that do not parse are reported and left out.
     */
    <T> Optional<List<T>> list(String key, ValueParser<T> parser) {
        YamlNode.Entry entry = entry(key);
        if (entry == null || entry.value() instanceof YamlNode.Null) {
            return Optional.empty();
        }
        if (entry.value() instanceof YamlNode.Scalar) {
            return value(key, parser).map(List::of);
        }
        if (!(entry.value() instanceof YamlNode.Sequence sequence)) {
            context.problems().add(keyPath(key), entry.value().position(),
                    "must be a list, not " + YamlNode.describe(entry.value()));
            return Optional.empty();
        }
        List<T> items = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            if (!(item instanceof YamlNode.Scalar scalar)) {
                context.problems().add(keyPath(key), item.position(),
                        "each item must be a single value, not " + YamlNode.describe(item));
                continue;
            }
            try {
                items.add(parser.parse(context.placeholders().resolve(scalar.text())));
            } catch (InvalidValueException e) {
                context.problems().add(keyPath(key), scalar.position(), e.getMessage());
            }
        }
        return Optional.of(List.copyOf(items));
    }

    /**
     * The mapping under {@code key} with keys chosen by the admin (domain names, say), each key
     * and value parsed, in file order. Entries that do not parse are reported and left out.
     */
    <K, V> Optional<Map<K, V>> map(String key, ValueParser<K> keyParser, ValueParser<V> valueParser) {
        YamlNode.Entry entry = entry(key);
        if (entry == null || entry.value() instanceof YamlNode.Null) {
            return Optional.empty();
        }
        if (!(entry.value() instanceof YamlNode.Mapping mapping)) {
            context.problems().add(keyPath(key), entry.value().position(),
                    "must be a mapping, not " + YamlNode.describe(entry.value()));
            return Optional.empty();
        }
        Map<K, V> parsed = new LinkedHashMap<>();
        for (YamlNode.Entry item : mapping.entries().values()) {
            String itemPath = keyPath(key) + "." + item.key();
            if (!(item.value() instanceof YamlNode.Scalar scalar)) {
                context.problems().add(itemPath, item.value().position(),
                        "must be a single value, not " + YamlNode.describe(item.value()));
                continue;
            }
            try {
                K parsedKey = keyParser.parse(item.key());
                try {
                    parsed.put(parsedKey, valueParser.parse(context.placeholders().resolve(scalar.text())));
                } catch (InvalidValueException e) {
                    context.problems().add(itemPath, scalar.position(), e.getMessage());
                }
            } catch (InvalidValueException e) {
                context.problems().add(itemPath, item.keyPosition(), e.getMessage());
            }
        }
        return Optional.of(Collections.unmodifiableMap(parsed));
    }

    Optional<Integer> integer(String key, int min, int max) {
        return value(key, text -> {
            String trimmed = text.strip();
            long number = WHOLE_NUMBER.matcher(trimmed).matches() ? Long.parseLong(trimmed) : Long.MIN_VALUE;
            if (number < min || number > max) {
                throw new InvalidValueException("must be a whole number from " + min + " to " + max
                        + ", not " + InvalidValueException.shown(text));
            }
            return (int) number;
        });
    }

    Optional<Boolean> bool(String key) {
        return value(key, text -> {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new InvalidValueException("must be true or false, not " + InvalidValueException.shown(text));
            }
        });
    }

    /** A file or folder path, made absolute against the config file's folder. */
    Optional<Path> path(String key) {
        return value(key, this::resolve);
    }

    /** {@code text} as a path, made absolute against the config file's folder. */
    Path resolve(String text) throws InvalidValueException {
        if (text.isBlank()) {
            throw new InvalidValueException("must be a file path, not empty");
        }
        try {
            return context.baseDir().resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidValueException(InvalidValueException.shown(text) + " is not a valid path: " + e.getReason());
        }
    }

    boolean has(String key) {
        YamlNode.Entry entry = entry(key);
        return entry != null && !(entry.value() instanceof YamlNode.Null);
    }

    /** Where {@code key} is written, or where this section is when the key is absent. */
    Position position(String key) {
        YamlNode.Entry entry = entry(key);
        return entry == null ? position : entry.keyPosition();
    }

    /** The dotted path of this section, e.g. {@code listeners.smtp}; empty for the top level. */
    String keyPath() {
        return path;
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        context.problems().add(keyPath(key), position(key), message);
    }

    Path baseDir() {
        return context.baseDir();
    }

    private YamlNode.Entry entry(String key) {
        if (!allowed.contains(key)) {
            throw new IllegalArgumentException(keyPath(key) + " is not among the keys this section declares");
        }
        return entries.get(key);
    }

    private void reportUnknownKeys() {
        for (YamlNode.Entry entry : entries.values()) {
            if (!allowed.contains(entry.key())) {
                String suggestion = KeySuggestion.closest(entry.key(), allowed)
                        .map(known -> " did you mean '" + known + "'?")
                        .orElse("");
                context.problems().add(keyPath(entry.key()), entry.keyPosition(),
                        "unknown key;" + suggestion + " allowed: " + String.join(", ", allowed));
            }
        }
    }
}
