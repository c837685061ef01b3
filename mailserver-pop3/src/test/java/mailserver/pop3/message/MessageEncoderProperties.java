package mailserver.pop3.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MessageEncoderProperties {

    /** Encodes {@code message} fed in chunks of {@code chunk} bytes. */
    static byte[] encode(MessageEncoder encoder, byte[] message, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < message.length && encoder.wantsMore(); at += chunk) {
            out.writeBytes(encoder.encode(message, at, Math.min(chunk, message.length - at)));
        }
        out.writeBytes(encoder.finish());
        return out.toByteArray();
    }

    /** What a client does (RFC 1939 3): drop the terminator line, then one leading dot of each line. */
    static byte[] unstuff(byte[] body) {
        assertThat(new String(Arrays.copyOfRange(body, body.length - 3, body.length))).isEqualTo(".\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (int i = 0; i < body.length - 3; i++) {
            if (!(lineStart && body[i] == '.')) {
                out.write(body[i]);
            }
            lineStart = body[i] == '\n';
        }
        return out.toByteArray();
    }

    @Property
    void clientsGetTheMessageBackWithAFinalLineBreak(@ForAll("crlfMessages") byte[] message,
                                                     @ForAll @IntRange(min = 1, max = 50) int chunk) {
        byte[] decoded = unstuff(encode(MessageEncoder.whole(), message, chunk));

        boolean endsWithLineBreak = message.length == 0 || message[message.length - 1] == '\n';
        byte[] expected = endsWithLineBreak ? message : concat(message, message[message.length - 1] == '\r' ? "\n" : "\r\n");
        assertThat(decoded).isEqualTo(expected);
    }

    @Property
    void noLineOfTheBodyIsALoneDot(@ForAll("crlfMessages") byte[] message, @ForAll @IntRange(min = 0, max = 5) int top) {
        String body = new String(encode(MessageEncoder.top(top), message, 7), java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(body.indexOf("\r\n.\r\n")).isIn(-1, body.length() - 5);
        assertThat(body).endsWith(".\r\n");
    }

    @Property
    void chunkingDoesNotChangeTheOutput(@ForAll("crlfMessages") byte[] message, @ForAll @IntRange(min = 1, max = 20) int chunk,
                                        @ForAll @IntRange(min = 0, max = 5) int top) {
        assertThat(encode(MessageEncoder.top(top), message, chunk)).isEqualTo(encode(MessageEncoder.top(top), message, 1000));
    }

    @Provide
    Arbitrary<byte[]> crlfMessages() {
        Arbitrary<String> line = Arbitraries.strings().withChars("ab. :\r").ofMaxLength(6);
        return line.list().ofMaxSize(12).flatMap(lines -> Arbitraries.of("", "\r\n").map(end -> {
            String text = String.join("\r\n", lines) + end;
            return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }));
    }

    private static byte[] concat(byte[] a, String b) {
        byte[] tail = b.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(a, a.length + tail.length);
        System.arraycopy(tail, 0, all, a.length, tail.length);
        return all;
    }
}
