package mailserver.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Small messages for tests; the id in the subject lets a test find a message again. */
final class TestMessages {

    private TestMessages() {
    }

    static String text(String id) {
        return "From: Alice <alice@example.test>\r\n"
                + "To: bob@example.test\r\n"
                + "Subject: message " + id + "\r\n"
                + "Message-ID: <" + id + "@example.test>\r\n"
                + "\r\n"
                + "Body of " + id + ".\r\n";
    }

    static InputStream stream(String id) {
        return new ByteArrayInputStream(text(id).getBytes(StandardCharsets.US_ASCII));
    }
}
