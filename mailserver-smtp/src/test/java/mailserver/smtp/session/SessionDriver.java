package mailserver.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import mailserver.smtp.reply.Reply;

/**
 * Drives an {@link SmtpSession} as the Netty handler does, minus the network: lines in, the
 * first line of each reply out, message data framed into LF-terminated pieces.
 */
final class SessionDriver {

    final SmtpSession session;
    Step last;

    SessionDriver(SmtpListenerSettings settings, SmtpServices services, String clientIp) {
        session = new SmtpSession(settings, services, new InetSocketAddress(clientIp, 40000));
    }

    /** Sends a command line; returns "code enhanced text" of the reply's first line. */
    String send(String line) {
        last = session.line(line);
        return last.reply() == null ? null : last.reply().summary();
    }

    /** The whole reply, every line, as on the wire. */
    String sendFull(String line) {
        last = session.line(line);
        return last.reply().encode();
    }

    /** Sends "DATA", expects 354, then the raw text, which must end with CRLF.CRLF; returns the final reply. */
    String data(String raw) {
        assertThat(send("DATA")).startsWith("354");
        assertThat(last.next()).isEqualTo(Step.Next.DATA);
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        while (from < bytes.length) {
            int lf = from;
            while (lf < bytes.length && bytes[lf] != '\n') {
                lf++;
            }
            int end = Math.min(lf + 1, bytes.length);
            assertThat(session.data(bytes, from, end - from)).isEqualTo(end - from);
            from = end;
            if (session.dataComplete()) {
                break;
            }
        }
        assertThat(from).as("the data must end exactly at the marker").isEqualTo(bytes.length);
        assertThat(session.dataComplete()).isTrue();
        last = session.endOfData();
        return last.reply().summary();
    }

    /** Sends "BDAT n [LAST]" and its bytes; returns the reply. */
    String bdat(String chunk, boolean lastChunk) {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        last = session.line("BDAT " + bytes.length + (lastChunk ? " LAST" : ""));
        assertThat(last.next()).isEqualTo(Step.Next.CHUNK);
        assertThat(last.chunkBytes()).isEqualTo(bytes.length);
        int half = bytes.length / 2;
        int used = session.data(bytes, 0, half);
        used += session.data(bytes, half, bytes.length - half);
        assertThat(used).isEqualTo(bytes.length);
        assertThat(session.dataComplete()).isTrue();
        last = session.endOfData();
        return last.reply().summary();
    }

    Reply lastReply() {
        return last.reply();
    }
}
