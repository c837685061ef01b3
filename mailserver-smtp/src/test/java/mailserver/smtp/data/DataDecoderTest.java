package mailserver.smtp.data;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDecoderTest {

    @TempDir
    Path spool;

    /** Decodes {@code input} in one piece; returns the file's text, the consumed count, the flags. */
    private record Decoded(String message, int consumed, boolean finished, boolean bareNewline) {
    }

    private Decoded decode(String input) throws IOException {
        SpoolWriter writer = SpoolWriter.create(spool, 1 << 20);
        DataDecoder decoder = new DataDecoder(writer);
        byte[] bytes = input.getBytes(ISO_8859_1);
        int consumed = decoder.feed(bytes, 0, bytes.length);
        assertThat(writer.finish()).isTrue();
        return new Decoded(Files.readString(writer.path(), ISO_8859_1), consumed, decoder.finished(), decoder.sawBareNewline());
    }

    @Test
    void endsAtCrLfDotCrLfAndLeavesWhatFollows() throws IOException {
        Decoded d = decode("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        assertThat(d.message()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(d.consumed()).isEqualTo("Subject: hi\r\n\r\nbody\r\n.\r\n".length());
        assertThat(d.finished()).isTrue();
        assertThat(d.bareNewline()).isFalse();
    }

    @Test
    void emptyMessage() throws IOException {
        Decoded d = decode(".\r\n");
        assertThat(d.message()).isEmpty();
        assertThat(d.finished()).isTrue();
    }

    @Test
    void removesDotStuffing() throws IOException {
        assertThat(decode("..\r\n...x\r\n.y\r\na.b\r\n.\r\n").message()).isEqualTo(".\r\n..x\r\ny\r\na.b\r\n");
    }

    @Test
    void waitsForMoreWithoutTheMarker() throws IOException {
        Decoded d = decode("line\r\n.\r");
        assertThat(d.finished()).isFalse();
        assertThat(d.consumed()).isEqualTo(8);
    }

    @Test
    void bareLfDotBareLfDoesNotEndTheMessage() throws IOException {
        // The classic smuggling payload: a second message after <LF>.<LF> or <LF>.<CRLF>
        Decoded d = decode("one\n.\nMAIL FROM:<evil@example>\r\nstill one\n.\r\nmore\r\n.\r\n");
        assertThat(d.finished()).isTrue();
        assertThat(d.bareNewline()).isTrue();
        assertThat(d.consumed()).isEqualTo("one\n.\nMAIL FROM:<evil@example>\r\nstill one\n.\r\nmore\r\n.\r\n".length());
    }

    @Test
    void bareCrIsNoted() throws IOException {
        Decoded d = decode("one\r.\r\ntwo\r\n.\r\n");
        assertThat(d.bareNewline()).isTrue();
        assertThat(d.message()).isEqualTo("one\r.\r\ntwo\r\n");
        assertThat(decode("x\r\n.\rx\r\n.\r\n").bareNewline()).isTrue();
        assertThat(decode("x\r\r\n.\r\n").bareNewline()).isTrue();
    }
}
