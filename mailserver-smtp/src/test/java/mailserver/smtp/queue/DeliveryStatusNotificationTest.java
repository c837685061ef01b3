package mailserver.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mailserver.smtp.queue.DeliveryStatusNotification.Action;
import mailserver.smtp.queue.DeliveryStatusNotification.Reported;
import mailserver.smtp.queue.QueueEnvelope.LastAttempt;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reports are read back with Mime4j, an independent parser, and checked field by field. */
class DeliveryStatusNotificationTest {

    private static final String ORIGINAL = "Received: from client by mail.example.org\r\n"
            + "From: Alice <alice@example.org>\r\nTo: bob@remote.example\r\nSubject: hello\r\n"
            + "Message-ID: <m1@example.org>\r\n\r\nHi Bob,\r\nbody text\r\n";
    private static final Instant NOW = Instant.parse("2025-06-03T11:00:00Z");

    @TempDir
    Path dir;

    private static QueueEnvelope envelope(String ret, String envid) {
        return new QueueEnvelope(QueueEnvelope.VERSION, "Q1ABC", "alice@example.org", ret, envid, false, null,
                "2025-06-03T10:00:00Z", 1, "192.0.2.1", "alice@example.org",
                List.of(new QueueRecipient("bob@remote.example", List.of(), "rfc822;team@example.org", "team@example.org"),
                        new QueueRecipient("carol@remote.example", List.of("FAILURE"), null, null)));
    }

    private List<Reported> failures(QueueEnvelope env) {
        return List.of(
                new Reported(env.recipients().get(0), new LastAttempt("2025-06-03T10:59:00Z", "5.1.1",
                        "mx.remote.example[127.0.0.2]:25", "550 5.1.1 <bob@remote.example>: User unknown", true)),
                new Reported(env.recipients().get(1), new LastAttempt("2025-06-03T10:59:30Z", "4.4.1", "none",
                        "connect to remote.example: Connection refused", false)));
    }

    private Message write(QueueEnvelope env) throws IOException {
        Path original = Files.writeString(dir.resolve("Q1ABC.eml"), ORIGINAL);
        Path report = dir.resolve("report");
        assertThat(new DeliveryStatusNotification("mail.example.org", env, Action.FAILED, failures(env), original, NOW).writeTo(report)).isFalse();
        byte[] bytes = Files.readAllBytes(report);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
        return parse(report);
    }

    @Test
    void aFailureReportHasEveryRfc3464Field() throws Exception {
        Message dsn = write(envelope(null, "env-42"));

        assertThat(dsn.getFrom().get(0).getAddress()).isEqualTo("MAILER-DAEMON@mail.example.org");
        assertThat(dsn.getTo().toString()).contains("alice@example.org");
        assertThat(dsn.getMimeType()).isEqualTo("multipart/report");
        assertThat(dsn.getHeader().getField("Content-Type").getBody()).contains("report-type=delivery-status");
        assertThat(dsn.getHeader().getField("Auto-Submitted").getBody()).isEqualTo("auto-replied");
        List<Entity> parts = ((Multipart) dsn.getBody()).getBodyParts();
        assertThat(parts).extracting(Entity::getMimeType).containsExactly("text/plain", "message/delivery-status", "message/rfc822");
        assertThat(text(parts.get(0))).contains("<bob@remote.example>: host mx.remote.example[127.0.0.2]:25 said: 550 5.1.1");

        List<Map<String, String>> blocks = fields(text(parts.get(1)));
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0)).containsEntry("Reporting-MTA", "dns; mail.example.org")
                .containsEntry("Original-Envelope-Id", "env-42")
                .containsEntry("Arrival-Date", "Tue, 3 Jun 2025 10:00:00 GMT");
        assertThat(blocks.get(1)).containsEntry("Original-Recipient", "rfc822;team@example.org")
                .containsEntry("Final-Recipient", "rfc822; bob@remote.example")
                .containsEntry("Action", "failed").containsEntry("Status", "5.1.1")
                .containsEntry("Remote-MTA", "dns; mx.remote.example")
                .containsEntry("Diagnostic-Code", "smtp; 550 5.1.1 <bob@remote.example>: User unknown")
                .containsEntry("Last-Attempt-Date", "Tue, 3 Jun 2025 10:59:00 GMT");
        assertThat(blocks.get(2)).containsEntry("Final-Recipient", "rfc822; carol@remote.example")
                .containsEntry("Action", "failed").containsEntry("Status", "4.4.1")
                .doesNotContainKeys("Remote-MTA", "Original-Recipient");
        assertThat(blocks.get(2).get("Diagnostic-Code")).contains("Connection refused");

        Message returned = (Message) parts.get(2).getBody();
        assertThat(returned.getSubject()).isEqualTo("hello");
        assertThat(returned.getMessageId()).isEqualTo("<m1@example.org>");
        assertThat(text(returned)).isEqualTo("Hi Bob,\r\nbody text\r\n");
    }

    @Test
    void retHdrsReturnsOnlyTheHeader() throws Exception {
        Message dsn = write(envelope("HDRS", null));

        List<Entity> parts = ((Multipart) dsn.getBody()).getBodyParts();
        assertThat(parts.get(2).getMimeType()).isEqualTo("text/rfc822-headers");
        String headers = text(parts.get(2));
        assertThat(headers).contains("Subject: hello\r\n", "Message-ID: <m1@example.org>").doesNotContain("Hi Bob");
        assertThat(fields(text(parts.get(1))).get(0)).doesNotContainKey("Original-Envelope-Id");
    }

    @Test
    void onlySendersWhoAskedForFailuresGetReports() {
        QueueEnvelope env = envelope(null, null);
        QueueRecipient byDefault = new QueueRecipient("a@x.example", List.of(), null, null);
        QueueRecipient never = new QueueRecipient("a@x.example", List.of("NEVER"), null, null);
        QueueRecipient successOnly = new QueueRecipient("a@x.example", List.of("SUCCESS", "DELAY"), null, null);
        QueueRecipient failure = new QueueRecipient("a@x.example", List.of("SUCCESS", "FAILURE"), null, null);

        assertThat(DeliveryStatusNotification.wanted(env, byDefault, Action.FAILED)).isTrue();
        assertThat(DeliveryStatusNotification.wanted(env, failure, Action.FAILED)).isTrue();
        assertThat(DeliveryStatusNotification.wanted(env, never, Action.FAILED)).isFalse();
        assertThat(DeliveryStatusNotification.wanted(env, successOnly, Action.FAILED)).isFalse();
        QueueEnvelope bounce = new QueueEnvelope(QueueEnvelope.VERSION, "Q2", "", null, null, false, null,
                env.arrival(), 0, "127.0.0.1", null, List.of(byDefault));
        assertThat(DeliveryStatusNotification.wanted(bounce, byDefault, Action.FAILED)).isFalse();
    }

    @Test
    void aRelayedReportSaysWhereTheMessageWentAndReturnsOnlyTheHeaderEvenForRetFull() throws Exception {
        QueueEnvelope env = envelope("FULL", "env-7");
        Path original = Files.writeString(dir.resolve("Q1ABC.eml"), ORIGINAL);
        Path report = dir.resolve("report");
        new DeliveryStatusNotification("mail.example.org", env, Action.RELAYED, List.of(new Reported(env.recipients().get(0),
                new LastAttempt("2025-06-03T10:59:00Z", "2.0.0", "mx.remote.example[127.0.0.2]:25", "250 2.0.0 Ok: queued as X1",
                        true))), original, NOW).writeTo(report);

        Message dsn = parse(report);
        assertThat(dsn.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(dsn.getFrom().get(0).getAddress()).isEqualTo("MAILER-DAEMON@mail.example.org");
        List<Entity> parts = ((Multipart) dsn.getBody()).getBodyParts();
        assertThat(parts).extracting(Entity::getMimeType)
                .containsExactly("text/plain", "message/delivery-status", "text/rfc822-headers");
        assertThat(text(parts.get(0))).contains("successfully delivered",
                "<bob@remote.example>: delivery via mx.remote.example[127.0.0.2]:25: 250 2.0.0 Ok: queued as X1");
        List<Map<String, String>> blocks = fields(text(parts.get(1)));
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0)).containsEntry("Original-Envelope-Id", "env-7");
        assertThat(blocks.get(1)).containsEntry("Original-Recipient", "rfc822;team@example.org")
                .containsEntry("Final-Recipient", "rfc822; bob@remote.example")
                .containsEntry("Action", "relayed").containsEntry("Status", "2.0.0")
                .containsEntry("Remote-MTA", "dns; mx.remote.example")
                .containsEntry("Diagnostic-Code", "smtp; 250 2.0.0 Ok: queued as X1");
        assertThat(text(parts.get(2))).contains("Subject: hello\r\n").doesNotContain("Hi Bob");
    }

    @Test
    void aDeliveredReportNamesTheMailboxDelivery() throws Exception {
        QueueEnvelope env = envelope(null, null);
        Path original = Files.writeString(dir.resolve("Q1ABC.eml"), ORIGINAL);
        Path report = dir.resolve("report");
        new DeliveryStatusNotification("mail.example.org", env, Action.DELIVERED, List.of(new Reported(env.recipients().get(1),
                new LastAttempt("2025-06-03T10:00:01Z", "2.0.0", "local", "delivered to maildir", false))), original, NOW)
                .writeTo(report);

        List<Entity> parts = ((Multipart) parse(report).getBody()).getBodyParts();
        assertThat(parts.get(2).getMimeType()).isEqualTo("text/rfc822-headers");
        assertThat(text(parts.get(0))).contains("<carol@remote.example>: delivered to maildir");
        assertThat(fields(text(parts.get(1))).get(1)).containsEntry("Final-Recipient", "rfc822; carol@remote.example")
                .containsEntry("Action", "delivered").containsEntry("Status", "2.0.0")
                .containsEntry("Diagnostic-Code", "X-mailserver; delivered to maildir")
                .doesNotContainKeys("Remote-MTA", "Original-Recipient");
    }

    @Test
    void successReportsOnlyWhenNotifySuccessAndNeverToTheNullSender() {
        QueueEnvelope env = envelope(null, null);
        QueueRecipient byDefault = new QueueRecipient("a@x.example", List.of(), null, null);
        QueueRecipient success = new QueueRecipient("a@x.example", List.of("SUCCESS"), null, null);
        QueueRecipient failureDelay = new QueueRecipient("a@x.example", List.of("DELAY", "FAILURE"), null, null);

        assertThat(DeliveryStatusNotification.wanted(env, byDefault, Action.RELAYED)).isFalse();
        assertThat(DeliveryStatusNotification.wanted(env, byDefault, Action.DELIVERED)).isFalse();
        assertThat(DeliveryStatusNotification.wanted(env, byDefault, Action.DELAYED)).isTrue();
        assertThat(DeliveryStatusNotification.wanted(env, success, Action.RELAYED)).isTrue();
        assertThat(DeliveryStatusNotification.wanted(env, success, Action.DELIVERED)).isTrue();
        assertThat(DeliveryStatusNotification.wanted(env, success, Action.DELAYED)).isFalse();
        assertThat(DeliveryStatusNotification.wanted(env, failureDelay, Action.DELIVERED)).isFalse();
        assertThat(DeliveryStatusNotification.wanted(env, failureDelay, Action.DELAYED)).isTrue();
        QueueEnvelope bounce = new QueueEnvelope(QueueEnvelope.VERSION, "Q2", "", null, null, false, null,
                env.arrival(), 0, "127.0.0.1", null, List.of(success));
        assertThat(DeliveryStatusNotification.wanted(bounce, success, Action.DELIVERED)).isFalse();
    }

    private static Message parse(Path report) throws IOException {
        try (InputStream in = Files.newInputStream(report)) {
            return new DefaultMessageBuilder().parseMessage(in);
        }
    }

    static String text(Entity entity) throws IOException {
        try (InputStream in = ((SingleBody) entity.getBody()).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The blocks of a message/delivery-status body, each a map of field name to value. */
    static List<Map<String, String>> fields(String body) {
        List<Map<String, String>> blocks = new ArrayList<>();
        for (String block : body.strip().split("\r\n\r\n")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : block.split("\r\n")) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            blocks.add(fields);
        }
        return blocks;
    }
}
