package mailserver.smtp.queue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import mailserver.smtp.queue.QueueEnvelope.LastAttempt;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;

/**
 * A delivery status notification (RFC 3464 {@code multipart/report; report-type=delivery-status})
 * in the shape Postfix's bounce(8) writes: a human-readable part, the {@code message/delivery-status}
 * part with one block per recipient reported on, and the returned message ({@code message/rfc822},
 * or only its header as {@code text/rfc822-headers}). The full message comes back only in a
 * failure report without {@code RET=HDRS} and not over {@link #RETURN_SIZE_LIMIT}: RFC 3461 4.3
 * says RET applies only to failures and other reports return the header. Written by hand: every
 * line ends in CRLF and the report is 7-bit unless the returned message itself is 8-bit.
 *
 * @param hostname   this server, in {@code From: MAILER-DAEMON@hostname} and {@code Reporting-MTA}
 * @param envelope   the message the report is about
 * @param action     what became of every recipient in the report
 * @param reported   the recipients reported on, each with its last attempt
 * @param message    the message file
 * @param now        the report's date
 */
public record DeliveryStatusNotification(String hostname, QueueEnvelope envelope, Action action, List<Reported> reported,
                                         Path message, Instant now) {

    /** Larger messages come back as their header only (Postfix: bounce_size_limit). */
    public static final long RETURN_SIZE_LIMIT = 50_000;

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    public DeliveryStatusNotification {
        Objects.requireNonNull(hostname);
        Objects.requireNonNull(envelope);
        Objects.requireNonNull(action);
        reported = List.copyOf(reported);
        if (reported.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one recipient");
        }
        Objects.requireNonNull(message);
        Objects.requireNonNull(now);
    }

    /** The RFC 3464 2.3.3 action, with the NOTIFY keyword (RFC 3461 4.1) that asks for it and Postfix's wording. */
    public enum Action {
        FAILED("FAILURE", "Undelivered Mail Returned to Sender", "Undelivered Message",
                "I'm sorry to have to inform you that your message could not\r\n"
                        + "be delivered to one or more recipients. It's attached below.\r\n\r\n"
                        + "For further assistance, please send mail to postmaster.\r\n"),
        DELAYED("DELAY", "Delayed Mail (still being retried)", "Delayed Message",
                "####################################################################\r\n"
                        + "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n"
                        + "####################################################################\r\n\r\n"
                        + "Your message could not be delivered yet to the recipients below.\r\n"
                        + "The mail system will keep trying to deliver it.\r\n"),
        DELIVERED("SUCCESS", "Successful Mail Delivery Report", "Delivered Message",
                "Your message was successfully delivered to the destination(s)\r\n"
                        + "listed below. If the message was delivered to mailbox you will\r\n"
                        + "receive no further notifications. Otherwise you may still receive\r\n"
                        + "notifications of mail delivery errors from other systems.\r\n"),
        RELAYED("SUCCESS", DELIVERED.subject, DELIVERED.description, DELIVERED.text);

        private final String notify;
        private final String subject;
        private final String description;
        private final String text;

        Action(String notify, String subject, String description, String text) {
            this.notify = notify;
            this.subject = subject;
            this.description = description;
            this.text = text;
        }

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One recipient reported on and how its last attempt went. */
    public record Reported(QueueRecipient recipient, LastAttempt attempt) {
    }

    /**
     * Does the sender of {@code recipient}'s message want a report with {@code action} (RFC 3461
     * 4.1: without NOTIFY, failures and delays)? Never for the null sender.
     */
    public static boolean wanted(QueueEnvelope envelope, QueueRecipient recipient, Action action) {
        if (envelope.sender().isEmpty()) {
            return false;
        }
        List<String> notify = recipient.notifyOn();
        return notify.contains(action.notify) || notify.isEmpty() && action != Action.DELIVERED && action != Action.RELAYED;
    }

    /** Writes the report to {@code file}; returns true when it is 8-bit. */
    public boolean writeTo(Path file) throws IOException {
        boolean fullMessage = action == Action.FAILED && !"HDRS".equals(envelope.ret())
                && Files.size(message) <= RETURN_SIZE_LIMIT;
        byte[] returned = fullMessage ? Files.readAllBytes(message) : header(message);
        String text = humanPart() + deliveryStatus();
        boolean eightBit = !ascii(returned) || !ascii(text.getBytes(StandardCharsets.UTF_8));
        String boundary = envelope.queueId() + "." + now.getEpochSecond() + "/" + hostname;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            line(out, "From: MAILER-DAEMON@" + hostname + " (Mail Delivery System)");
            line(out, "To: <" + envelope.sender() + ">");
            line(out, "Subject: " + action.subject);
            line(out, "Date: " + DATE.format(now));
            line(out, "Message-ID: <" + envelope.queueId() + "." + now.toEpochMilli() + ".bounce@" + hostname + ">");
            line(out, "Auto-Submitted: auto-replied");
            line(out, "MIME-Version: 1.0");
            line(out, "Content-Type: multipart/report; report-type=delivery-status;");
            line(out, "\tboundary=\"" + boundary + "\"");
            line(out, "Content-Transfer-Encoding: " + (eightBit ? "8bit" : "7bit"));
            line(out, "");
            line(out, "This is a MIME-encapsulated message.");
            line(out, "");
            line(out, "--" + boundary);
            line(out, "Content-Description: Notification");
            line(out, "Content-Type: text/plain; charset=utf-8");
            line(out, "");
            out.write(humanPart().getBytes(StandardCharsets.UTF_8));
            line(out, "");
            line(out, "--" + boundary);
            line(out, "Content-Description: Delivery report");
            line(out, "Content-Type: message/delivery-status");
            line(out, "");
            out.write(deliveryStatus().getBytes(StandardCharsets.UTF_8));
            line(out, "");
            line(out, "--" + boundary);
            line(out, "Content-Description: " + action.description + (fullMessage ? "" : " Headers"));
            line(out, "Content-Type: " + (fullMessage ? "message/rfc822" : "text/rfc822-headers"));
            if (!ascii(returned)) {
                line(out, "Content-Transfer-Encoding: 8bit");
            }
            line(out, "");
            out.write(returned);
            if (returned.length > 0 && returned[returned.length - 1] != '\n') {
                line(out, "");
            }
            line(out, "");
            line(out, "--" + boundary + "--");
        }
        return eightBit;
    }

    private String humanPart() {
        StringBuilder text = new StringBuilder()
                .append("This is the mail system at host ").append(hostname).append(".\r\n\r\n")
                .append(action.text).append("\r\n")
                .append("                   The mail system\r\n");
        for (Reported f : reported) {
            LastAttempt a = f.attempt();
            text.append("\r\n<").append(f.recipient().address()).append(">: ");
            if (a.remote()) {
                text.append(action == Action.RELAYED ? "delivery via " : "host ").append(a.relay())
                        .append(action == Action.RELAYED ? ": " : " said: ");
            }
            text.append(clean(a.diagnostic())).append("\r\n");
        }
        return text.toString();
    }

    private String deliveryStatus() {
        StringBuilder ds = new StringBuilder()
                .append("Reporting-MTA: dns; ").append(hostname).append("\r\n")
                .append("X-Postfix-Queue-ID: ").append(envelope.queueId()).append("\r\n");
        if (envelope.envid() != null) {
            ds.append("Original-Envelope-Id: ").append(clean(envelope.envid())).append("\r\n");
        }
        ds.append("X-Postfix-Sender: rfc822; ").append(envelope.sender()).append("\r\n")
                .append("Arrival-Date: ").append(DATE.format(Instant.parse(envelope.arrival()))).append("\r\n");
        for (Reported f : reported) {
            QueueRecipient r = f.recipient();
            LastAttempt a = f.attempt();
            ds.append("\r\n");
            if (r.orcpt() != null) {
                ds.append("Original-Recipient: ").append(clean(r.orcpt())).append("\r\n");
            }
            ds.append("Final-Recipient: rfc822; ").append(r.address()).append("\r\n")
                    .append("Action: ").append(action.keyword()).append("\r\n")
                    .append("Status: ").append(a.status()).append("\r\n");
            if (a.remote()) {
                ds.append("Remote-MTA: dns; ").append(remoteHost(a.relay())).append("\r\n")
                        .append("Diagnostic-Code: smtp; ").append(clean(a.diagnostic())).append("\r\n");
            } else {
                ds.append("Diagnostic-Code: X-mailserver; ").append(clean(a.diagnostic())).append("\r\n");
            }
            ds.append("Last-Attempt-Date: ").append(DATE.format(Instant.parse(a.at()))).append("\r\n");
        }
        return ds.toString();
    }

    /** {@code mx.example.org[192.0.2.1]:25} names the host {@code mx.example.org}. */
    static String remoteHost(String relay) {
        int bracket = relay.indexOf('[');
        return (bracket > 0 ? relay.substring(0, bracket) : relay).toLowerCase(Locale.ROOT);
    }

    /** A value on one header line: no line breaks or other controls. */
    private static String clean(String value) {
        return value.replaceAll("[\\p{Cntrl}]+", " ").strip();
    }

    /** The message's header section, with the empty line that ends it. */
    private static byte[] header(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int previous = -1;
            int beforePrevious = -1;
            int b;
            while ((b = in.read()) != -1 && out.size() < RETURN_SIZE_LIMIT) {
                out.write(b);
                boolean emptyLine = b == '\n' && previous == '\r' && (beforePrevious == '\n' || out.size() == 2);
                if (emptyLine) {
                    break;
                }
                beforePrevious = previous;
                previous = b;
            }
            return out.toByteArray();
        }
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static void line(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }
}
