package mailserver.smtp.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The streaming body canonicaliser against a plain line-by-line reading of RFC 6376 3.4.3 and 3.4.4. */
class BodyHasherProperties {

    @Property(tries = 300)
    void streamingAgreesWithTheRfcText(@ForAll("bodies") String body, @ForAll @IntRange(min = 1, max = 20000) int chunk,
            @ForAll boolean relaxed) throws NoSuchAlgorithmException {
        Canonicalization canonicalization = relaxed ? Canonicalization.RELAXED : Canonicalization.SIMPLE;
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        BodyHasher hasher = new BodyHasher(canonicalization, MessageDigest.getInstance("SHA-256"), Long.MAX_VALUE);
        for (int i = 0; i < bytes.length; i += chunk) {
            hasher.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        byte[] expected = reference(canonicalization, body).getBytes(StandardCharsets.ISO_8859_1);

        assertThat(hasher.finish()).as("%s of %s", canonicalization, java.util.HexFormat.of().formatHex(bytes))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(expected));
        assertThat(hasher.length()).isEqualTo(expected.length);
    }

    /** Long runs of letters too, so runs cross the hasher's buffer. */
    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(" ", "\t", "\r\n", "\r", "\n", "\r\n\r\n", " \t "),
                Arbitraries.strings().withChars("ab\u00e9").ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().withChars("xy").ofMinLength(5000).ofMaxLength(20000));
        return piece.list().ofMaxSize(60).map(pieces -> String.join("", pieces));
    }

    private static String reference(Canonicalization canonicalization, String body) {
        List<String> lines = new ArrayList<>(List.of(body.split("\r\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the body ended with CRLF (or is empty)
        }
        if (canonicalization == Canonicalization.RELAXED) {
            // \z, not $: $ would also match before a final CR of the line
            lines.replaceAll(line -> line.replaceAll("[ \t]+", " ").replaceAll(" \\z", ""));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            return canonicalization == Canonicalization.SIMPLE ? "\r\n" : "";
        }
        return String.join("\r\n", lines) + "\r\n";
    }
}
