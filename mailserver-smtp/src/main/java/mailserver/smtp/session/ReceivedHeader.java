package mailserver.smtp.session;

import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import mailserver.core.mail.MailAddress;

/**
 * The Received trace header (RFC 5321 4.4) this server puts on top of every message, in the
 * shape Postfix writes, e.g.
 * <pre>
 * Received: from client.example (unknown [192.0.2.1])
 *         (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 *         by mx.example.org (mailserver) with ESMTPSA id 1A2B3C
 *         for &lt;bob@example.org&gt;; Tue, 3 Jun 2025 10:00:00 +0000
 * </pre>
 * The protocol names come from RFC 3848 (ESMTPS, ESMTPA, ESMTPSA) and RFC 6531 (UTF8SMTP...).
 * The authenticated user is not named, as Postfix's smtpd_sasl_authenticated_header = no.
 */
final class ReceivedHeader {

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    private ReceivedHeader() {
    }

    /**
     * @param recipient named in a {@code for} clause only when the message has just one, so a
     *                  copy never tells one recipient who the others are
     */
    static String format(String helo, boolean esmtp, InetSocketAddress client, String hostname, boolean smtpUtf8,
            TlsInfo tls, boolean authenticated, String queueId, MailAddress recipient, ZonedDateTime date) {
        StringBuilder out = new StringBuilder("Received: from ").append(printable(helo))
                .append(" (unknown [").append(client.getAddress().getHostAddress()).append("])\r\n");
        if (tls != null) {
            out.append("\t(using ").append(tls.protocol()).append(" with cipher ").append(tls.cipherSuite()).append(")\r\n");
        }
        out.append("\tby ").append(hostname).append(" (mailserver) with ")
                .append(protocol(esmtp, smtpUtf8, tls != null, authenticated))
                .append(" id ").append(queueId);
        if (recipient != null) {
            out.append("\r\n\tfor <").append(recipient).append('>');
        }
        return out.append("; ").append(RFC5322_DATE.format(date)).append("\r\n").toString();
    }

    static String protocol(boolean esmtp, boolean smtpUtf8, boolean tls, boolean authenticated) {
        if (!esmtp) {
            return "SMTP";
        }
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    /** The HELO name is the client's word: keep only what cannot break the header's syntax. */
    private static String printable(String helo) {
        StringBuilder out = new StringBuilder(helo.length());
        helo.codePoints().forEach(c -> out.append(c > ' ' && c < 0x7f && c != '(' && c != ')' && c != ';' ? (char) c : '?'));
        return out.toString();
    }
}
