package mailserver.smtp.data;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolWriterTest {

    @TempDir
    Path spool;

    @Test
    void preambleDoesNotCountTowardTheLimit() throws IOException {
        SpoolWriter writer = SpoolWriter.create(spool, 5);
        writer.writePreamble("Received: x\r\n".getBytes(US_ASCII));
        writer.write("12345".getBytes(US_ASCII), 0, 5);
        assertThat(writer.finish()).isTrue();
        assertThat(Files.readString(writer.path())).isEqualTo("Received: x\r\n12345");
        assertThat(writer.messageBytes()).isEqualTo(5);
    }

    @Test
    void pastTheLimitTheFileGoesAndCountingGoesOn() throws IOException {
        SpoolWriter writer = SpoolWriter.create(spool, 5);
        writer.write("1234".getBytes(US_ASCII), 0, 4);
        writer.write("56".getBytes(US_ASCII), 0, 2);
        writer.write("789".getBytes(US_ASCII), 0, 3);
        assertThat(writer.status()).isEqualTo(SpoolWriter.Status.TOO_BIG);
        assertThat(writer.finish()).isFalse();
        assertThat(writer.messageBytes()).isEqualTo(9);
        assertThat(writer.path()).doesNotExist();
    }

    @Test
    void discardRemovesTheFile() throws IOException {
        SpoolWriter writer = SpoolWriter.create(spool, 100);
        writer.write("x".getBytes(US_ASCII), 0, 1);
        writer.finish();
        writer.discard();
        writer.discard();
        assertThat(writer.path()).doesNotExist();
    }

    @Test
    void chunkDecoderTakesExactlyItsSize() throws IOException {
        SpoolWriter writer = SpoolWriter.create(spool, 100);
        ChunkDecoder chunk = ChunkDecoder.into(writer, 5);
        byte[] bytes = "abc\r\nQUIT\r\n".getBytes(US_ASCII);
        assertThat(chunk.feed(bytes, 0, 2)).isEqualTo(2);
        assertThat(chunk.finished()).isFalse();
        assertThat(chunk.feed(bytes, 2, bytes.length - 2)).isEqualTo(3);
        assertThat(chunk.finished()).isTrue();
        writer.finish();
        assertThat(Files.readString(writer.path())).isEqualTo("abc\r\n");
        assertThat(ChunkDecoder.discarding(0).finished()).isTrue();
    }
}
