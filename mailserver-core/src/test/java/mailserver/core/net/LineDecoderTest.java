package mailserver.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

    static final int MAX = 32;

    @Test
    void keepsEachLineEndingAsReceived() {
        EmbeddedChannel channel = new EmbeddedChannel(new LineDecoder(MAX));
        channel.writeInbound(ascii("one\r\ntwo\nthree\rstill three\r\npart"));

        assertThat(drain(channel)).containsExactly("one\r\n", "two\n", "three\rstill three\r\n");
        channel.writeInbound(ascii("ial\r\n"));
        assertThat(drain(channel)).containsExactly("partial\r\n");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aLineOfExactlyTheLimitPassesAndOneMoreByteDoesNot() {
        EmbeddedChannel channel = new EmbeddedChannel(new LineDecoder(MAX));
        String fits = "a".repeat(MAX - 2) + "\r\n";
        String tooLong = "b".repeat(MAX - 1) + "\r\n";

        channel.writeInbound(ascii(fits + tooLong + "ok\r\n"));

        assertThat(drain(channel)).containsExactly(fits, "LineTooLong[maxLength=32]", "ok\r\n");
    }

    @Test
    void anEndlessLineGivesOneEventAndIsSkippedUntilItsEnd() {
        EmbeddedChannel channel = new EmbeddedChannel(new LineDecoder(MAX));
        for (int i = 0; i < 100; i++) {
            channel.writeInbound(ascii("x".repeat(50)));
        }
        assertThat(drain(channel)).containsExactly("LineTooLong[maxLength=32]");

        channel.writeInbound(ascii("xxx\r\nnext\r\n"));
        assertThat(drain(channel)).containsExactly("next\r\n");
    }

    @Test
    void discardBufferedForgetsWhatArrivedBeforeIt() {
        LineDecoder decoder = new LineDecoder(MAX);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.suspend();
        channel.writeInbound(ascii("STARTTLS\r\nINJECTED\r\n"));
        assertThat(drain(channel)).isEmpty();

        decoder.discardBuffered();
        decoder.resume();
        channel.writeInbound(ascii("clean\r\n"));

        assertThat(drain(channel)).containsExactly("clean\r\n");
    }

    @Test
    void suspendHoldsLinesBackAndResumeReleasesThemInOrder() {
        LineDecoder decoder = new LineDecoder(MAX);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.suspend();
        channel.writeInbound(ascii("a\r\nb\r\n"));
        assertThat(drain(channel)).isEmpty();
        assertThat(channel.config().isAutoRead()).isFalse();

        decoder.resume();

        assertThat(drain(channel)).containsExactly("a\r\n", "b\r\n");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void rawBytesIgnoreLineEndingsAndTheLimit() {
        LineDecoder decoder = new LineDecoder(MAX);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        String body = "x".repeat(100) + "\r\n\n";
        decoder.readRaw(body.length());

        channel.writeInbound(ascii(body + "next\r\n"));

        assertThat(String.join("", drainRaw(channel, body.length()))).isEqualTo(body);
        assertThat(drain(channel)).containsExactly("next\r\n");
    }

    /** Lines cut into arbitrary chunks come out exactly as they went in. */
    @Property(tries = 300)
    void chunkingDoesNotChangeTheLines(@ForAll("lines") List<String> lines,
                                       @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 40) Integer> cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new LineDecoder(MAX));
        byte[] stream = String.join("", lines).getBytes(StandardCharsets.ISO_8859_1);
        int position = 0;
        for (int cut : cuts) {
            int end = Math.min(stream.length, position + cut);
            channel.writeInbound(Unpooled.wrappedBuffer(stream, position, end - position));
            position = end;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(stream, position, stream.length - position));

        List<String> expected = lines.stream()
                .map(line -> line.length() > MAX ? "LineTooLong[maxLength=32]" : line).toList();
        assertThat(drain(channel)).isEqualTo(expected);
        channel.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> content = Arbitraries.strings().withCharRange((char) 0, (char) 255)
                .excludeChars('\n').ofMaxLength(MAX + 10);
        Arbitrary<String> ending = Arbitraries.of("\r\n", "\n");
        return Combinators.combine(content, ending).as(String::concat).list().ofMaxSize(20);
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Lines as text, and other messages by their toString. */
    private static List<String> drain(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            if (message instanceof ByteBuf bytes) {
                out.add(bytes.toString(StandardCharsets.ISO_8859_1));
                bytes.release();
            } else {
                out.add(message.toString());
            }
        }
        return out;
    }

    private static List<String> drainRaw(EmbeddedChannel channel, int total) {
        List<String> chunks = new ArrayList<>();
        int received = 0;
        while (received < total) {
            ByteBuf chunk = channel.readInbound();
            received += chunk.readableBytes();
            chunks.add(chunk.toString(StandardCharsets.ISO_8859_1));
            chunk.release();
        }
        return chunks;
    }
}
