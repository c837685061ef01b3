package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the file holds, the loader answers with a configuration or a {@link ConfigException}
 * whose problems all have a message: never another exception, never a stack trace for an admin.
 */
class ConfigLoaderProperties {

    private static final Path SOURCE = Path.of("/etc/mailserver/mailserver.yml");
    private static final String REFERENCE = reference();

    @Property(tries = 500)
    void yamlishNoiseIsAnsweredWithProblems(@ForAll("yamlish") String text) {
        assertLoadsOrExplains(text);
    }

    @Property(tries = 500)
    void aDamagedReferenceFileIsAnsweredWithProblems(@ForAll("damagedReference") String text) {
        assertLoadsOrExplains(text);
    }

    @Example
    void absurdNestingIsAProblemNotAStackOverflow() {
        assertLoadsOrExplains("server: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n");
        assertLoadsOrExplains("server: " + "{a: ".repeat(5_000) + "1" + "}".repeat(5_000) + "\n");
        assertLoadsOrExplains("a:\n" + "  - \n".repeat(2_000));
    }

    @Example
    void oddYamlFeaturesAreAnsweredWithProblems() {
        for (String text : List.of("? [a, b]\n: c\n", "server: !!binary aGVsbG8=\n", "server:\n  hostname: !!int x\n",
                "%YAML 1.1\n---\nserver: {}\n", "server: &a {hostname: x}\ntls: *a\n", "<<: {server: {}}\n",
                "\"\\uD800\": 1\n", "server: {hostname: x, hostname: y}\n")) {
            assertLoadsOrExplains(text);
        }
    }

    private static void assertLoadsOrExplains(String text) {
        try {
            ConfigLoader.parse(text, SOURCE, name -> name.startsWith("SET") ? "25" : null);
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> {
                assertThat(problem.message()).isNotBlank();
                assertThat(problem.file()).isEqualTo("mailserver.yml");
            });
        }
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> tokens = Arbitraries.of("server", "listeners", "smtp", "port", "hostname", "tls",
                "directory", "jdbc-url", ":", ": ", " ", "  ", "\n", "\t", "-", "- ", "[", "]", "{", "}", ",",
                "\"", "'", "#", "&a", "*a", "!!str", "---", "${SET}", "${UNSET}", "${", "25", "abc", "0.0.0.0",
                "true", "~", "|", ">", "?", "%", "@", "\\", "\u00e9", "\u0000");
        return tokens.list().ofMaxSize(60).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> damagedReference() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, REFERENCE.length() - 1);
        Arbitrary<String> replacement = Arbitraries.of("", " ", "\t", ":", "\n", "- ", "{", "[", "\"", "x", "99999", "${X}");
        return Combinators.combine(position, replacement)
                .as((at, with) -> REFERENCE.substring(0, at) + with + REFERENCE.substring(at + 1));
    }

    private static String reference() {
        try {
            return Files.readString(Path.of("../config/mailserver.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
