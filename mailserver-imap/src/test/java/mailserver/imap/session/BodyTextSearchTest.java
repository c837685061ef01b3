package mailserver.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BodyTextSearchTest {

    private static boolean contains(String message, String text) throws IOException {
        return contains(message.getBytes(StandardCharsets.ISO_8859_1), text);
    }

    private static boolean contains(byte[] message, String text) throws IOException {
        return BodyTextSearch.contains(new ByteArrayInputStream(message), text);
    }

    @Test
    void quotedPrintableIsDecodedInItsCharset() throws IOException {
        String message = "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe aus M=C3=BCn=\r\nchen\r\n";
        assertThat(contains(message, "ü")).isTrue();
        assertThat(contains(message, "grÜße")).isTrue();
        assertThat(contains(message, "München")).isTrue(); // across a soft line break
        assertThat(contains(message, "=C3=BC")).isFalse();
    }

    @Test
    void latin1PartIsReadAsLatin1() throws IOException {
        String message = "Content-Type: text/plain; charset=iso-8859-1\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nK\u00e4se\r\n";
        assertThat(contains(message, "käse")).isTrue();
    }

    @Test
    void unknownOrMissingCharsetIsReadAsUtf8() throws IOException {
        byte[] utf8 = "\u00fcber".getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"text/plain; charset=\"x-no such?\"", "text/plain; charset=\"\"", "text/plain"}) {
            byte[] head = ("Content-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] message = new byte[head.length + utf8.length];
            System.arraycopy(head, 0, message, 0, head.length);
            System.arraycopy(utf8, 0, message, head.length, utf8.length);
            assertThat(contains(message, "ÜBER")).as(type).isTrue();
        }
    }

    @Test
    void base64TextPartIsDecoded() throws IOException {
        String message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "PHA+U2VjcmV0IHBsYW48L3A+\r\n--b--\r\n";
        assertThat(contains(message, "secret PLAN")).isTrue();
        assertThat(contains(message, "U2VjcmV0")).isFalse();
        assertThat(contains(message, "first")).isTrue();
    }

    @Test
    void attachmentsAreNotReadAsText() throws IOException {
        String message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "aGlkZGVuIHdvcmRz\r\n--b\r\nContent-Type: image/png\r\n\r\nhidden raw\r\n--b--\r\n";
        assertThat(contains(message, "hidden")).isFalse();
        assertThat(contains(message, "aGlkZGVu")).isFalse();
        assertThat(contains(message, "attached")).isTrue();
    }

    @Test
    void headerIsNotBody() throws IOException {
        assertThat(contains("Subject: needle\r\n\r\nhay\r\n", "needle")).isFalse();
        assertThat(contains("Subject: needle\r\n\r\nhay\r\n", "")).isTrue();
    }

    @Test
    void partsOfAnAttachedMessageAreSearched() throws IOException {
        String message = "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: text/plain\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\ninner =E2=82=AC body\r\n";
        assertThat(contains(message, "€ body")).isTrue();
    }

    @Property(tries = 300)
    void anyBytesGiveAnAnswer(@ForAll byte[] message, @ForAll String text) throws IOException {
        contains(message, text);
    }
}
