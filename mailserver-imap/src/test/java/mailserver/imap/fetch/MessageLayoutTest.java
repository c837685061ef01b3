package mailserver.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import mailserver.imap.parse.Section;
import mailserver.store.mime.BodyPart;
import mailserver.store.mime.MessageStructure;
import mailserver.store.mime.MessageStructureParser;
import org.junit.jupiter.api.Test;

class MessageLayoutTest {

    static final String MESSAGE = String.join("\r\n",
            "From: a@example.test",
            "Subject: parts",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
            "",
            "preamble",
            "--outer",
            "Content-Type: text/plain",
            "",
            "first part",
            "--outer",
            "Content-Type: multipart/alternative; boundary=inner",
            "",
            "--inner",
            "Content-Type: text/plain",
            "",
            "plain",
            "--inner",
            "Content-Type: text/html",
            "",
            "<p>html</p>",
            "--inner--",
            "--outer",
            "Content-Type: message/rfc822",
            "",
            "Subject: inside",
            "X-Other: 1",
            "",
            "inner body",
            "--outer",
            "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: base64",
            "",
            "aGVsbG8gd29ybGQ=",
            "--outer--",
            "epilogue",
            "");

    private static String section(String path, Section.Text text) throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        MessageStructure structure = MessageStructureParser.parse(new ByteArrayInputStream(bytes));
        MessageLayout layout = MessageLayout.scan(new ByteArrayInputStream(bytes));
        List<Integer> part = path.isEmpty() ? List.of() : java.util.Arrays.stream(path.split("\\.")).map(Integer::valueOf).toList();
        BodyPart root = structure.body();
        MessageLayout.Range range = layout.range(root, part, text);
        return range == null ? null : MESSAGE.substring((int) range.start(), (int) range.end());
    }

    @Test
    void wholeHeaderAndText() throws Exception {
        assertThat(section("", Section.Text.ALL)).isEqualTo(MESSAGE);
        assertThat(section("", Section.Text.HEADER)).startsWith("From: a@example.test\r\n").endsWith("\"outer\"\r\n\r\n");
        assertThat(section("", Section.Text.TEXT)).startsWith("preamble\r\n--outer").endsWith("epilogue\r\n");
    }

    @Test
    void partsAtEveryDepth() throws Exception {
        assertThat(section("1", Section.Text.ALL)).isEqualTo("first part");
        assertThat(section("1", Section.Text.MIME)).isEqualTo("Content-Type: text/plain\r\n\r\n");
        assertThat(section("2.1", Section.Text.ALL)).isEqualTo("plain");
        assertThat(section("2.2", Section.Text.ALL)).isEqualTo("<p>html</p>");
        assertThat(section("2", Section.Text.ALL)).startsWith("--inner\r\n").endsWith("--inner--");
        assertThat(section("4", Section.Text.ALL)).isEqualTo("aGVsbG8gd29ybGQ=");
        assertThat(section("5", Section.Text.ALL)).isNull();
    }

    @Test
    void attachedMessage() throws Exception {
        assertThat(section("3", Section.Text.ALL)).isEqualTo("Subject: inside\r\nX-Other: 1\r\n\r\ninner body");
        assertThat(section("3", Section.Text.HEADER)).isEqualTo("Subject: inside\r\nX-Other: 1\r\n\r\n");
        assertThat(section("3", Section.Text.TEXT)).isEqualTo("inner body");
        assertThat(section("3.1", Section.Text.ALL)).isEqualTo("inner body");
        assertThat(section("1", Section.Text.HEADER)).isNull();
    }

    @Test
    void headerFieldsFilter() {
        byte[] header = "Subject: a\r\n b\r\nFrom: x\r\nTo: y\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(HeaderFilter.filter(header, List.of("SUBJECT", "TO"), true), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: a\r\n b\r\nTo: y\r\n\r\n");
        assertThat(new String(HeaderFilter.filter(header, List.of("SUBJECT"), false), StandardCharsets.US_ASCII))
                .isEqualTo("From: x\r\nTo: y\r\n\r\n");
    }
}
