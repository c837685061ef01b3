package mailserver.smtp.data;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

class DataDecoderProperties {

    private Path spool;

    @BeforeProperty
    void createSpool() throws IOException {
        spool = Files.createTempDirectory("smtp-data");
    }

    @AfterProperty
    void removeSpool() throws IOException {
        try (var files = Files.list(spool)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(spool);
    }

    /** What a decoder made of some input: the file, how much it used, its flags. */
    private record Result(String file, int consumed, boolean finished, boolean bareNewline) {
    }

    @Property(tries = 500)
    void anySplitGivesTheSameResult(@ForAll("data") String input, @ForAll("cuts") List<Integer> cuts) throws IOException {
        assertThat(decodeInPieces(input, cuts)).isEqualTo(decodeInPieces(input, List.of()));
    }

    @Property(tries = 500)
    void agreesWithAPlainReadingOfRfc5321(@ForAll("data") String input) throws IOException {
        Result actual = decodeInPieces(input, List.of());
        String framed = "\r\n" + input;
        int marker = framed.indexOf("\r\n.\r\n");
        assertThat(actual.finished()).isEqualTo(marker >= 0);
        if (marker < 0) {
            return;
        }
        String body = framed.substring(2, marker + 2);
        assertThat(actual.consumed()).isEqualTo(marker + 3);
        assertThat(actual.file()).isEqualTo(unstuff(body));
        assertThat(actual.bareNewline()).isEqualTo(body.replace("\r\n", "").indexOf('\r') >= 0 || body.replace("\r\n", "").indexOf('\n') >= 0);
    }

    /** The reference: a '.' right after CRLF (or at the start) is removed. */
    private static String unstuff(String body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            boolean lineStart = i == 0 || (i >= 2 && body.charAt(i - 2) == '\r' && body.charAt(i - 1) == '\n');
            if (!(lineStart && body.charAt(i) == '.')) {
                out.append(body.charAt(i));
            }
        }
        return out.toString();
    }

    private Result decodeInPieces(String input, List<Integer> cuts) throws IOException {
        byte[] bytes = input.getBytes(ISO_8859_1);
        SpoolWriter writer = SpoolWriter.create(spool, 1 << 20);
        DataDecoder decoder = new DataDecoder(writer);
        int[] points = cuts.stream().mapToInt(c -> Math.min(c, bytes.length)).sorted().toArray();
        int consumed = 0;
        int from = 0;
        for (int point : concat(points, bytes.length)) {
            consumed += decoder.feed(bytes, from, point - from);
            from = point;
        }
        writer.finish();
        try {
            return new Result(Files.readString(writer.path(), ISO_8859_1), consumed, decoder.finished(), decoder.sawBareNewline());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.discard();
        }
    }

    private static int[] concat(int[] points, int last) {
        int[] all = Arrays.copyOf(points, points.length + 1);
        all[points.length] = last;
        return all;
    }

    @Provide
    Arbitrary<String> data() {
        Arbitrary<String> pieces = Arbitraries.of("\r\n", "\r", "\n", ".", "..", "\r\n.\r\n", "\r\n..", "a", "bc", "\r\n.\r", ".\n", " ");
        return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 200).list().ofMaxSize(10);
    }
}
