package mailserver.store.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MessageStructureParserTest {

    private static MessageStructure parse(String crlf) throws IOException {
        return MessageStructureParser.parse(new ByteArrayInputStream(crlf.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void simpleTextMessage() throws IOException {
        MessageStructure s = parse("""
                Date: Mon, 7 Feb 1994 21:52:25 -0800\r
                From: Fred Foobar <foobar@Blurdybloop.example>\r
                Subject: afternoon\r
                 meeting\r
                To: mooch@owatagu.example, Team: a@x.example, b@y.example;\r
                Message-Id: <B27397-0100000@Blurdybloop.example>\r
                \r
                Hello Joe, do you think we can meet at 3:30 tomorrow?\r
                Second line\r
                """);
        Envelope e = s.envelope();
        assertThat(e.date()).isEqualTo("Mon, 7 Feb 1994 21:52:25 -0800");
        assertThat(e.subject()).isEqualTo("afternoon meeting");
        assertThat(e.from()).containsExactly(new EnvelopeAddress("Fred Foobar", null, "foobar", "Blurdybloop.example"));
        assertThat(e.sender()).isEqualTo(e.from());
        assertThat(e.replyTo()).isEqualTo(e.from());
        assertThat(e.to()).containsExactly(new EnvelopeAddress(null, null, "mooch", "owatagu.example"),
                new EnvelopeAddress(null, null, "Team", null), new EnvelopeAddress(null, null, "a", "x.example"),
                new EnvelopeAddress(null, null, "b", "y.example"), new EnvelopeAddress(null, null, null, null));
        assertThat(e.cc()).isEmpty();
        assertThat(e.messageId()).isEqualTo("<B27397-0100000@Blurdybloop.example>");
        BodyPart body = s.body();
        assertThat(body.type()).isEqualTo("text");
        assertThat(body.subtype()).isEqualTo("plain");
        assertThat(body.parameters()).containsEntry("charset", "us-ascii");
        assertThat(body.encoding()).isEqualTo("7bit");
        assertThat(body.size()).isEqualTo(68);
        assertThat(body.lines()).isEqualTo(2);
    }

    @Test
    void multipartWithAnAttachedMessage() throws IOException {
        MessageStructure s = parse("""
                From: a@example.test\r
                Subject: outer\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="XX"\r
                \r
                preamble\r
                --XX\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                caf=C3=A9\r
                --XX\r
                Content-Type: message/rfc822\r
                Content-Disposition: attachment; filename="inner.eml"\r
                \r
                Subject: inner\r
                From: b@example.test\r
                \r
                inner body\r
                --XX--\r
                """);
        BodyPart root = s.body();
        assertThat(root.isMultipart()).isTrue();
        assertThat(root.subtype()).isEqualTo("mixed");
        assertThat(root.parameters()).containsEntry("boundary", "XX");
        assertThat(root.parts()).hasSize(2);
        BodyPart text = root.parts().get(0);
        assertThat(text.encoding()).isEqualTo("quoted-printable");
        assertThat(text.parameters()).isEqualTo(Map.of("charset", "utf-8"));
        assertThat(text.size()).isEqualTo("caf=C3=A9".length());
        assertThat(text.lines()).isZero();
        BodyPart attached = root.parts().get(1);
        assertThat(attached.type() + "/" + attached.subtype()).isEqualTo("message/rfc822");
        assertThat(attached.dispositionType()).isEqualTo("attachment");
        assertThat(attached.dispositionParameters()).containsEntry("filename", "inner.eml");
        String inner = "Subject: inner\r\nFrom: b@example.test\r\n\r\ninner body";
        assertThat(attached.size()).isEqualTo(inner.length());
        assertThat(attached.lines()).isEqualTo(3);
        assertThat(attached.message().envelope().subject()).isEqualTo("inner");
        assertThat(attached.message().body().size()).isEqualTo("inner body".length());
    }

    @Test
    void deepNestingIsRefused() {
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            message.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        message.append("\r\nx\r\n");
        assertThatThrownBy(() -> parse(message.toString())).isInstanceOf(IOException.class).hasMessageContaining("nesting");
    }

    @Property(tries = 200)
    void anyBytesGiveAStructureOrAnIOException(@ForAll byte[] junk) {
        try {
            MessageStructure s = MessageStructureParser.parse(new ByteArrayInputStream(junk));
            assertThat(s.body()).isNotNull();
        } catch (IOException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
