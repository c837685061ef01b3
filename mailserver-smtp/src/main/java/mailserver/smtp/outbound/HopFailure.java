package mailserver.smtp.outbound;

/**
 * Why one server could not take the message in this attempt (connect refused, greeting or EHLO
 * rejected, 421, timeout, TLS required but missing): the next address is tried, and the last
 * failure becomes the DEFERRED outcome when none is left.
 */
final class HopFailure extends Exception {

    private final String dsnCode;
    private final String diagnostic;
    private final boolean remote;
    private final String relay;

    HopFailure(String dsnCode, String diagnostic, boolean remote, String relay) {
        super(diagnostic, null, false, false);
        this.dsnCode = dsnCode;
        this.diagnostic = diagnostic;
        this.remote = remote;
        this.relay = relay;
    }

    /** A reply that ends the session: its text is the diagnostic, its code class made transient. */
    static HopFailure rejected(RemoteReply reply, Hop hop) {
        return new HopFailure(reply.dsnCode('4'), reply.text(), true, hop.relay());
    }

    RecipientOutcome deferred(String address) {
        return new RecipientOutcome(address, RecipientOutcome.Status.DEFERRED, relay, dsnCode, diagnostic, remote, false);
    }
}
