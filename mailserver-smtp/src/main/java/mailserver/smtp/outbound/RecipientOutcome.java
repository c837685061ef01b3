package mailserver.smtp.outbound;

import java.util.Objects;

/**
 * What became of one recipient in one delivery attempt.
 *
 * @param address          the recipient
 * @param status           sent, deferred (retry later) or bounced (give up, DSN)
 * @param relay            the next hop as {@code mx.example.org[192.0.2.1]:25}, or {@code none}
 *                         when no server was reached
 * @param dsnCode          RFC 3463 status code, e.g. {@code 2.0.0}, {@code 4.4.1}, {@code 5.1.1}
 * @param diagnostic       the remote reply (e.g. {@code 550 5.1.1 <x>: User unknown}) or a local reason
 * @param remoteDiagnostic true when {@code diagnostic} is the remote server's SMTP reply
 *                         (DSN {@code Diagnostic-Code: smtp; ...})
 * @param nextHopDsn       the next hop that accepted the recipient offered DSN (RFC 3461), so NOTIFY and
 *                         ORCPT went on with it and a success notification is its job; false when nothing
 *                         was accepted
 */
public record RecipientOutcome(String address, Status status, String relay, String dsnCode, String diagnostic,
                               boolean remoteDiagnostic, boolean nextHopDsn) {

    public enum Status { SENT, DEFERRED, BOUNCED }

    public RecipientOutcome {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(dsnCode, "dsnCode");
        Objects.requireNonNull(diagnostic, "diagnostic");
    }
}
