package mailserver.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree by walking Jackson's YAML tokens, keeping each
 * token's line and column. Reports syntax errors, duplicate keys, aliases and a second
 * document as problems instead of silently picking one reading.
 */
final class YamlReader {

    /** The configuration schema is three levels deep; anything far deeper is a mistake or an attack. */
    static final int MAX_DEPTH = 16;

    /**
     * {@code key:} with nothing after it must read as null, i.e. "not set". {@code new YAMLFactory()}
     * does that by default but the builder does not, hence the explicit feature.
     */
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();

    private final Problems problems;

    private YamlReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * @return the document's root, an empty mapping for an empty document, or empty when the
     *         text is not YAML (the syntax error is in {@code problems})
     */
    static Optional<YamlNode> read(String text, Problems problems) {
        return new YamlReader(problems).document(text);
    }

    private Optional<YamlNode> document(String text) {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return Optional.of(YamlNode.Mapping.empty(Position.FILE_START));
            }
            YamlNode root = node(parser, "", 1);
            if (parser.nextToken() != null) {
                problems.add("", position(parser.currentTokenLocation()),
                        "a second YAML document ('---') is not allowed; keep the whole configuration in one");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            syntaxError(e);
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a String cannot fail with I/O", e);
        }
    }

    private YamlNode node(YAMLParser parser, String path, int depth) throws IOException {
        Position at = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth > MAX_DEPTH) {
            problems.add(path, at, "nested deeper than " + MAX_DEPTH + " levels");
            parser.skipChildren();
            return new YamlNode.Null(at);
        }
        if (token == JsonToken.START_OBJECT) {
            return mapping(parser, path, depth, at);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(parser, path + "[" + items.size() + "]", depth + 1));
            }
            return new YamlNode.Sequence(Collections.unmodifiableList(items), at);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new YamlNode.Null(at);
        }
        if (parser.isCurrentAlias()) {
            problems.add(path, at, "YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
            return new YamlNode.Null(at);
        }
        return new YamlNode.Scalar(parser.getText(), at);
    }

    private YamlNode mapping(YAMLParser parser, String path, int depth, Position at) throws IOException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Position keyAt = position(parser.currentTokenLocation());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            YamlNode value = node(parser, keyPath, depth + 1);
            YamlNode.Entry first = entries.get(key);
            if (first != null) {
                problems.add(keyPath, keyAt, "duplicate key; already set on line " + first.keyPosition().line());
            } else {
                entries.put(key, new YamlNode.Entry(key, keyAt, value));
            }
        }
        return new YamlNode.Mapping(Collections.unmodifiableMap(entries), at);
    }

    /** SnakeYAML knows where the error is; Jackson's own location is where its last token started. */
    private void syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
            problems.add("", new Position(mark.getLine() + 1, mark.getColumn() + 1),
                    "YAML syntax error: " + firstLine(yaml.getProblem()) + context);
        } else if (e instanceof StreamConstraintsException) {
            problems.add("", position(e.getLocation()), "too deeply nested: " + firstLine(e.getOriginalMessage()));
        } else if (String.valueOf(e.getOriginalMessage()).startsWith("Expected a field name")) {
            // Jackson's own wording names SnakeYAML's event classes, which tells an admin nothing.
            problems.add("", position(e.getLocation()), "YAML syntax error: a key must be a single value, not a list or mapping");
        } else {
            problems.add("", position(e.getLocation()), "YAML syntax error: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable YAML";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static Position position(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? Position.NONE
                : new Position(location.getLineNr(), location.getColumnNr());
    }

    /** The loader reads at most this much anyway; saying so keeps SnakeYAML's own limit in step. */
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(ConfigLoader.MAX_FILE_BYTES);
        return options;
    }
}
