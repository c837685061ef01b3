package mailserver.smtp.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.Assertions;

class QueueFormatProperties {

    /** Whatever a damaged disk holds, decoding gives an envelope or an IOException, nothing else. */
    @Property
    void anyBytesDecodeOrFailCleanly(@ForAll("jsonish") String text) {
        try {
            QueueFormat.decode(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException expected) {
            // a clear refusal is the point
        }
    }

    @Property
    void encodeThenDecodeIsIdentity(@ForAll("words") String sender, @ForAll("words") String address, @ForAll boolean utf8) throws IOException {
        QueueEnvelope e = new QueueEnvelope(QueueEnvelope.VERSION, "Q1", sender, null, address, utf8, null,
                "2025-06-03T10:00:00Z", 3, "::1", null,
                List.of(new QueueEnvelope.QueueRecipient(address, List.of("NEVER"), null, sender, 2, "2025-06-03T10:05:00Z",
                        new QueueEnvelope.LastAttempt("2025-06-03T10:00:00Z", "4.4.1", "none", sender, utf8), utf8)));
        Assertions.assertThat(QueueFormat.decode(QueueFormat.encode(e))).isEqualTo(e);
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> valid = Arbitraries.just(new String(QueueFormat.encode(QueueWriterTest.envelope("ABC")), StandardCharsets.UTF_8));
        Arbitrary<String> mutated = valid.flatMap(v -> Arbitraries.integers().between(0, v.length()).flatMap(cut ->
                Arbitraries.strings().withChars("{}[]\":,0123456789nulltrue ").ofMaxLength(8).map(s -> v.substring(0, cut) + s + v.substring(cut))));
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(200));
    }
}
