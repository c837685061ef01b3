package mailserver.core.config;

import java.util.List;
import java.util.Map;

/**
 * The YAML document as a tree that remembers where each part came from, which Jackson's own
 * tree does not; the binders need the line of every key and value for their messages.
 */
sealed interface YamlNode {

    Position position();

    /** {@code key:} with nothing after it, or {@code ~}/{@code null}: treated as if the key were absent. */
    record Null(Position position) implements YamlNode {
    }

    /** Any scalar, kept as the text written: the binder, not YAML, decides its type. */
    record Scalar(String text, Position position) implements YamlNode {
    }

    record Sequence(List<YamlNode> items, Position position) implements YamlNode {
    }

    /** Keys in file order. */
    record Mapping(Map<String, Entry> entries, Position position) implements YamlNode {

        static Mapping empty(Position at) {
            return new Mapping(Map.of(), at);
        }
    }

    /** One {@code key: value} pair; {@code keyPosition} is where the key itself is written. */
    record Entry(String key, Position keyPosition, YamlNode value) {
    }

    /** How a node is named in messages: "a mapping", "a list", "a single value". */
    static String describe(YamlNode node) {
        if (node instanceof Mapping) {
            return "a mapping";
        }
        if (node instanceof Sequence) {
            return "a list";
        }
        return node instanceof Scalar ? "a single value" : "empty";
    }
}
