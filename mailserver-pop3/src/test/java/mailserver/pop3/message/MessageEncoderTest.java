package mailserver.pop3.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MessageEncoderTest {

    static String encode(MessageEncoder encoder, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(encoder.encode(bytes, 0, bytes.length));
        out.writeBytes(encoder.finish());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void doublesDotsAtLineStartsOnly() {
        assertThat(encode(MessageEncoder.whole(), ".a\r\nb.c\r\n..\r\n.\r\n"))
                .isEqualTo("..a\r\nb.c\r\n...\r\n..\r\n.\r\n");
    }

    @Test
    void addsTheMissingFinalLineBreak() {
        assertThat(encode(MessageEncoder.whole(), "S: x\r\n\r\nend")).isEqualTo("S: x\r\n\r\nend\r\n.\r\n");
        assertThat(encode(MessageEncoder.whole(), "S: x\r\n\r\nend\r")).isEqualTo("S: x\r\n\r\nend\r\n.\r\n");
        assertThat(encode(MessageEncoder.whole(), "S: x\r\n\r\n.")).isEqualTo("S: x\r\n\r\n..\r\n.\r\n");
    }

    @Test
    void anEmptyMessageIsJustTheTerminator() {
        assertThat(encode(MessageEncoder.whole(), "")).isEqualTo(".\r\n");
    }

    @Test
    void topStopsAfterTheRequestedBodyLines() {
        String message = "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n";

        assertThat(encode(MessageEncoder.top(0), message)).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(encode(MessageEncoder.top(2), message)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n");
        assertThat(encode(MessageEncoder.top(10), message)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n");
    }

    @Test
    void topOfAMessageWithoutBodySendsTheWholeHeader() {
        assertThat(encode(MessageEncoder.top(0), "A: 1\r\nB: 2")).isEqualTo("A: 1\r\nB: 2\r\n.\r\n");
    }

    @Test
    void topSaysWhenItNeedsNoMoreInput() {
        MessageEncoder encoder = MessageEncoder.top(1);
        byte[] part = "A: 1\r\n\r\nl1\r\nl2\r\n".getBytes(StandardCharsets.US_ASCII);

        encoder.encode(part, 0, part.length);

        assertThat(encoder.wantsMore()).isFalse();
        assertThat(MessageEncoder.whole().wantsMore()).isTrue();
    }

    @Test
    void aBlankLineWithSpacesDoesNotEndTheHeader() {
        assertThat(encode(MessageEncoder.top(0), "A: 1\r\n \r\nB: 2\r\n\r\nbody\r\n")).isEqualTo("A: 1\r\n \r\nB: 2\r\n\r\n.\r\n");
    }
}
