package mailserver.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DATA form of a message file: dots doubled at line starts, across chunk boundaries too, and the end line. */
class DotStuffedMessageTest {

    @TempDir
    Path dir;

    @Test
    void aDotAtTheStartOfAChunkThatStartsALineIsDoubled() throws Exception {
        String first = "x".repeat(DotStuffedMessage.CHUNK_SIZE - 2) + "\r\n";
        assertThat(stuffed(first + ".second\r\n")).isEqualTo(first + "..second\r\n.\r\n");
    }

    @Test
    void aDotInTheMiddleOfALineAtAChunkBoundaryIsNot() throws Exception {
        String first = "x".repeat(DotStuffedMessage.CHUNK_SIZE);
        assertThat(stuffed(first + ".rest\r\n")).isEqualTo(first + ".rest\r\n.\r\n");
    }

    @Test
    void theEndLineFollowsACrLfAddedWhenMissing() throws Exception {
        assertThat(stuffed("")).isEqualTo(".\r\n");
        assertThat(stuffed("a\r\n")).isEqualTo("a\r\n.\r\n");
        assertThat(stuffed("a")).isEqualTo("a\r\n.\r\n");
        assertThat(stuffed(".")).isEqualTo("..\r\n.\r\n");
    }

    private String stuffed(String content) throws Exception {
        Path file = Files.writeString(dir.resolve("m"), content, StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffedMessage message = new DotStuffedMessage(file);
        try {
            while (!message.isEndOfInput()) {
                ByteBuf chunk = message.readChunk(UnpooledByteBufAllocator.DEFAULT);
                byte[] bytes = new byte[chunk.readableBytes()];
                chunk.readBytes(bytes);
                chunk.release();
                out.write(bytes);
            }
        } finally {
            message.close();
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
