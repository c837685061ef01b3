package mailserver.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueWriterTest {

    @TempDir
    Path dir;

    static QueueEnvelope envelope(String id) {
        return new QueueEnvelope(QueueEnvelope.VERSION, id, "alice@example.org", "HDRS", "id+1", true, "8BITMIME",
                "2025-06-03T10:00:00Z", 0, "192.0.2.1", "alice@example.org",
                List.of(new QueueEnvelope.QueueRecipient("bob@remote.example", List.of("FAILURE"), "rfc822;bob@remote.example", null),
                        new QueueEnvelope.QueueRecipient("carol@remote.example", List.of(), null, "team@example.org")));
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesMessageAndEnvelopeAndLeavesNothingInTmp() throws Exception {
        QueueWriter writer = new QueueWriter(dir.resolve("queue"));
        writer.enqueue(envelope("ABC123"), text("Subject: x\r\n\r\nbody\r\n"));
        assertThat(Files.readString(dir.resolve("queue/ABC123.eml"))).isEqualTo("Subject: x\r\n\r\nbody\r\n");
        assertThat(QueueFormat.decode(Files.readAllBytes(dir.resolve("queue/ABC123.json")))).isEqualTo(envelope("ABC123"));
        try (Stream<Path> tmp = Files.list(dir.resolve("queue/tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void refusesAnIdTwiceAndIdsThatAreNoFileNames() throws Exception {
        QueueWriter writer = new QueueWriter(dir.resolve("queue"));
        writer.enqueue(envelope("ABC123"), text("one\r\n"));
        assertThatThrownBy(() -> writer.enqueue(envelope("ABC123"), text("two\r\n"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(dir.resolve("queue/ABC123.eml"))).isEqualTo("one\r\n");
        assertThatThrownBy(() -> writer.enqueue(envelope("../evil"), text("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedWriteLeavesNoEntry() throws Exception {
        QueueWriter writer = new QueueWriter(dir.resolve("queue"));
        InputStream breaks = new InputStream() {
            private int left = 100;

            // Bounded whichever read method the copy uses: after 100 bytes every call fails.
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = Math.min(len, left);
                if (n <= 0) {
                    throw new IOException("client gone");
                }
                Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("client gone");
                }
                left--;
                return 'x';
            }
        };
        assertThatThrownBy(() -> writer.enqueue(envelope("BROKEN1"), breaks)).hasMessage("client gone");
        try (Stream<Path> files = Files.walk(dir.resolve("queue"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void leftoversOfACrashedWriteAreRemovedOnStart() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("queue/tmp"));
        Files.writeString(tmp.resolve("HALF1.eml"), "half a mess");
        new QueueWriter(dir.resolve("queue"));
        assertThat(tmp.resolve("HALF1.eml")).doesNotExist();
    }

    @Test
    void jsonHasTheDocumentedFieldNames() {
        String json = new String(QueueFormat.encode(envelope("ABC123")), StandardCharsets.UTF_8);
        assertThat(json).contains("\"version\" : 3", "\"queueId\" : \"ABC123\"", "\"sender\" : \"alice@example.org\"",
                "\"ret\" : \"HDRS\"", "\"envid\" : \"id+1\"", "\"smtpUtf8\" : true", "\"body\" : \"8BITMIME\"",
                "\"arrival\" : \"2025-06-03T10:00:00Z\"", "\"attempts\" : 0", "\"client\" : \"192.0.2.1\"",
                "\"authUser\" : \"alice@example.org\"", "\"notify\" : [ \"FAILURE\" ]", "\"orcpt\" : null",
                "\"originalRecipient\" : \"team@example.org\"", "\"nextAttempt\" : null", "\"last\" : null", "\"delayWarned\" : false");
    }

    @Test
    void decodeRefusesForeignAndBrokenFiles() {
        assertThatThrownBy(() -> QueueFormat.decode("{".getBytes())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> QueueFormat.decode("[]".getBytes())).isInstanceOf(IOException.class);
        String otherVersion = new String(QueueFormat.encode(envelope("A1"))).replace("\"version\" : 3", "\"version\" : 4");
        assertThatThrownBy(() -> QueueFormat.decode(otherVersion.getBytes())).isInstanceOf(IOException.class)
                .hasMessageContaining("version 4");
        String noRecipients = new String(QueueFormat.encode(envelope("A1"))).replaceAll("(?s)\"recipients\" : \\[.*\\]", "\"recipients\" : []");
        assertThatThrownBy(() -> QueueFormat.decode(noRecipients.getBytes())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> QueueFormat.decode(new byte[QueueFormat.MAX_ENVELOPE_BYTES + 1])).isInstanceOf(IOException.class);
    }

    @Test
    void aVersion1EnvelopeReadsAsNotTriedYet() throws IOException {
        String v1 = "{\"version\":1,\"queueId\":\"OLD1\",\"sender\":\"a@example.org\",\"ret\":null,\"envid\":null,"
                + "\"smtpUtf8\":false,\"body\":null,\"arrival\":\"2025-06-03T10:00:00Z\",\"attempts\":0,\"client\":\"::1\","
                + "\"authUser\":null,\"recipients\":[{\"address\":\"b@remote.example\",\"notify\":[],\"orcpt\":null,"
                + "\"originalRecipient\":null}]}";

        QueueEnvelope e = QueueFormat.decode(v1.getBytes(StandardCharsets.UTF_8));

        assertThat(e.version()).isEqualTo(QueueEnvelope.VERSION);
        assertThat(e.recipients()).containsExactly(new QueueEnvelope.QueueRecipient("b@remote.example", List.of(), null, null));
    }

    @Test
    void aVersion2EnvelopeReadsAsNotWarnedOfDelay() throws IOException {
        String v2 = "{\"version\":2,\"queueId\":\"OLD2\",\"sender\":\"a@example.org\",\"ret\":null,\"envid\":null,"
                + "\"smtpUtf8\":false,\"body\":null,\"arrival\":\"2025-06-03T10:00:00Z\",\"attempts\":1,\"client\":\"::1\","
                + "\"authUser\":null,\"recipients\":[{\"address\":\"b@remote.example\",\"notify\":[],\"orcpt\":null,"
                + "\"originalRecipient\":null,\"attempts\":1,\"nextAttempt\":\"2025-06-03T10:05:00Z\",\"last\":null}]}";

        QueueEnvelope e = QueueFormat.decode(v2.getBytes(StandardCharsets.UTF_8));

        assertThat(e.version()).isEqualTo(QueueEnvelope.VERSION);
        assertThat(e.recipients()).containsExactly(new QueueEnvelope.QueueRecipient("b@remote.example", List.of(), null, null,
                1, "2025-06-03T10:05:00Z", null, false));
    }
}
