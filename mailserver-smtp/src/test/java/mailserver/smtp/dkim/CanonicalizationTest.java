package mailserver.smtp.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** RFC 6376 3.4: the header and body canonicalisations, with the RFC's own example (3.4.5). */
class CanonicalizationTest {

    @Test
    void rfcExampleHeaders() {
        assertThat(Canonicalization.RELAXED.header("A: X")).isEqualTo("a:X");
        assertThat(Canonicalization.RELAXED.header("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z");
        assertThat(Canonicalization.SIMPLE.header("B : Y\t\r\n\tZ  ")).isEqualTo("B : Y\t\r\n\tZ  ");
    }

    @Test
    void rfcExampleBody() {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertThat(canonical(Canonicalization.RELAXED, body)).isEqualTo(" C\r\nD E\r\n");
        assertThat(canonical(Canonicalization.SIMPLE, body)).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodies() {
        assertThat(canonical(Canonicalization.SIMPLE, "")).isEqualTo("\r\n");
        assertThat(canonical(Canonicalization.SIMPLE, "\r\n\r\n")).isEqualTo("\r\n");
        assertThat(canonical(Canonicalization.RELAXED, "")).isEmpty();
        assertThat(canonical(Canonicalization.RELAXED, " \t\r\n\r\n")).isEmpty();
    }

    @Test
    void lastLineWithoutCrlfGetsOne() {
        assertThat(canonical(Canonicalization.SIMPLE, "a\r\nb")).isEqualTo("a\r\nb\r\n");
        assertThat(canonical(Canonicalization.RELAXED, "a\r\nb  ")).isEqualTo("a\r\nb\r\n");
    }

    @Test
    void onlyCrlfEndsALine() {
        assertThat(canonical(Canonicalization.RELAXED, "a\nb \r\rc\r")).isEqualTo("a\nb \r\rc\r\r\n");
        assertThat(canonical(Canonicalization.SIMPLE, "a\r\n\r\n\r")).isEqualTo("a\r\n\r\n\r\r\n");
    }

    @Test
    void inputSplitAnywhereGivesTheSameHash() throws NoSuchAlgorithmException {
        byte[] body = " C \r\nD \t E\r\n\r\n \r\nF\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (Canonicalization canonicalization : Canonicalization.values()) {
            String whole = hash(canonicalization, body, body.length);
            for (int split = 0; split <= body.length; split++) {
                assertThat(hash(canonicalization, body, split)).as("%s split at %d", canonicalization, split)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void lengthLimitHashesOnlyThePrefix() throws NoSuchAlgorithmException {
        BodyHasher hasher = new BodyHasher(Canonicalization.RELAXED, MessageDigest.getInstance("SHA-256"), 5);
        byte[] body = "Hello  world\r\n".getBytes(StandardCharsets.US_ASCII);
        hasher.update(body, 0, body.length);
        assertThat(hasher.finish()).isEqualTo(MessageDigest.getInstance("SHA-256").digest("Hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(hasher.length()).isEqualTo("Hello world\r\n".length());
    }

    /** The canonical form, read back through an identity "digest". */
    private static String canonical(Canonicalization canonicalization, String body) {
        Recording digest = new Recording();
        BodyHasher hasher = new BodyHasher(canonicalization, digest, Long.MAX_VALUE);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        hasher.update(bytes, 0, bytes.length);
        return new String(hasher.finish(), StandardCharsets.ISO_8859_1);
    }

    private static String hash(Canonicalization canonicalization, byte[] body, int split) throws NoSuchAlgorithmException {
        BodyHasher hasher = new BodyHasher(canonicalization, MessageDigest.getInstance("SHA-256"), Long.MAX_VALUE);
        hasher.update(body, 0, split);
        hasher.update(body, split, body.length - split);
        return Base64.getEncoder().encodeToString(hasher.finish());
    }

    /** A MessageDigest whose "digest" is its input, to see what the canonicaliser produced. */
    private static final class Recording extends MessageDigest {
        private final java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();

        Recording() {
            super("recording");
        }

        @Override
        protected void engineUpdate(byte input) {
            this.input.write(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            this.input.write(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            byte[] result = input.toByteArray();
            input.reset();
            return result;
        }

        @Override
        protected void engineReset() {
            input.reset();
        }
    }
}
