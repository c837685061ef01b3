package mailserver.smtp.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageFileTest {

    private static final String RECEIVED = "Received: from client.example (unknown [192.0.2.1])\r\n\tby mx.example.org (mailserver) with ESMTP id 1A; Tue, 3 Jun 2025 10:00:00 +0000\r\n";

    @TempDir
    Path folder;

    private Path message(String text) throws IOException {
        return Files.writeString(folder.resolve("msg.eml"), text, StandardCharsets.UTF_8);
    }

    @Test
    void insertsUnderTheReceivedHeaderAndRemovesOnlyOurForgedResults() throws IOException {
        Path file = message(RECEIVED
                + "Authentication-Results: mx.example.org; dkim=pass\r\n\theader.d=bank.example\r\n"
                + "Authentication-Results: other.example; spf=pass smtp.mailfrom=a@b.example\r\n"
                + "authentication-results : (forged)\r\n MX.Example.Org; dmarc=pass\r\n"
                + "From: a@b.example\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.org; in the body, kept\r\n");

        int removed = MessageFile.rewrite(file, "Authentication-Results: mx.example.org; none\r\nReceived-SPF: none\r\n",
                value -> AuthenticationResults.authservId(value).equalsIgnoreCase("mx.example.org"));

        assertThat(removed).isEqualTo(2);
        assertThat(Files.readString(file)).isEqualTo(RECEIVED
                + "Authentication-Results: mx.example.org; none\r\nReceived-SPF: none\r\n"
                + "Authentication-Results: other.example; spf=pass smtp.mailfrom=a@b.example\r\n"
                + "From: a@b.example\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.org; in the body, kept\r\n");
        try (var files = Files.list(folder)) {
            assertThat(files).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void aMessageWithoutBodyOrWithoutHeaderSurvives() throws IOException {
        Path headerOnly = message(RECEIVED + "Subject: x\r\n");
        MessageFile.rewrite(headerOnly, "X-A: 1\r\n", v -> true);
        assertThat(Files.readString(headerOnly)).isEqualTo(RECEIVED + "X-A: 1\r\nSubject: x\r\n");

        Path bodyOnly = message(RECEIVED + "\r\nno header\r\n");
        MessageFile.rewrite(bodyOnly, "X-A: 1\r\n", v -> true);
        assertThat(Files.readString(bodyOnly)).isEqualTo(RECEIVED + "X-A: 1\r\n\r\nno header\r\n");
    }

    @Test
    void anOverlongResultsFieldIsDroppedAndHugeLinesElsewhereStream() throws IOException {
        Path file = folder.resolve("big.eml");
        String huge = "x".repeat(MessageFile.MAX_FIELD_BYTES + 10);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write((RECEIVED + "X-Long: " + huge + "\r\nAuthentication-Results: other.example;\r\n " + huge
                    + "\r\nSubject: kept\r\n\r\n" + huge + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(MessageFile.rewrite(file, "", v -> false)).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo(RECEIVED + "X-Long: " + huge + "\r\nSubject: kept\r\n\r\n" + huge + "\r\n");
    }

    @Test
    void fieldValuesAreUnfoldedAndFoundInAnyCase() throws IOException {
        Path file = message(RECEIVED + "from: \"Alice\"\r\n <alice@example.org>\r\nTo: b@example.org\r\nFROM:x@y.example\r\n\r\nFrom: body@example.org\r\n");
        assertThat(MessageFile.fieldValues(file, "From")).containsExactly(" \"Alice\" <alice@example.org>", "x@y.example");
    }
}
