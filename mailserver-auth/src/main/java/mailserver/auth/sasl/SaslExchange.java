package mailserver.auth.sasl;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server side of one SASL authentication (SMTP AUTH, IMAP AUTHENTICATE, POP3 AUTH) with
 * PLAIN, LOGIN or SCRAM-SHA-256, on the text the protocols carry: base64 responses, {@code *} to cancel,
 * {@code =} for an empty initial response (RFC 4954, 5034; IMAP's SASL-IR). It ends with the
 * {@link Credentials} to check (SCRAM: with the login's outcome), or a {@link SaslException} the
 * protocol turns into its error reply. Checking the credentials is {@link mailserver.auth.AuthService}'s job.
 *
 * <p>One instance per AUTH command, used by one connection at a time.
 */
public final class SaslExchange {

    /** The mechanisms {@link #start(String)} knows, in the order protocols list them. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";

    /** Base64 characters in one response: 4 KiB decode to 3 KiB, more than an identity and a password need. */
    public static final int MAX_RESPONSE_LENGTH = 4096;

    private final String mechanismName;
    private final Mechanism mechanism;
    private boolean finished;

    private SaslExchange(String mechanismName, Mechanism mechanism) {
        this.mechanismName = mechanismName;
        this.mechanism = mechanism;
    }

    /** An exchange for {@code mechanism} (any case) among {@link #MECHANISMS}, or empty when it is not one of them. */
    public static Optional<SaslExchange> start(String mechanism) {
        String name = mechanism.toUpperCase(Locale.ROOT);
        return switch (name) {
            case "PLAIN" -> Optional.of(new SaslExchange(name, new PlainMechanism()));
            case "LOGIN" -> Optional.of(new SaslExchange(name, new LoginMechanism()));
            default -> Optional.empty();
        };
    }

    /**
     * Like {@link #start(String)}, and {@link #SCRAM_SHA_256} too, which logs in through the
     * context's AuthService inside the exchange and ends with {@link SaslStep.Verified}. Its steps
     * block on the directory: call them on a worker thread. Which mechanisms are offered is the caller's choice.
     */
    public static Optional<SaslExchange> start(String mechanism, ScramContext scram) {
        String name = mechanism.toUpperCase(Locale.ROOT);
        if (name.equals(SCRAM_SHA_256)) {
            return Optional.of(new SaslExchange(name, new ScramMechanism(scram)));
        }
        return start(name);
    }

    public String mechanism() {
        return mechanismName;
    }

    /** The first step: the first challenge, or with an initial response what that response leads to. */
    public SaslStep begin(Optional<String> initialResponse) throws SaslException {
        if (initialResponse.isEmpty()) {
            return new SaslStep.Challenge(encode(mechanism.firstChallenge()));
        }
        String response = initialResponse.get();
        return evaluate(response.equals("=") ? new byte[0] : decode(response));
    }

    /** One response line from the client, line ending removed. */
    public SaslStep respond(String line) throws SaslException {
        if (line.equals("*")) {
            finished = true;
            throw new SaslException(SaslException.Reason.CANCELLED, "Authentication cancelled");
        }
        return evaluate(decode(line));
    }

    private SaslStep evaluate(byte[] response) throws SaslException {
        if (finished) {
            throw new IllegalStateException("the " + mechanismName + " exchange is already finished");
        }
        byte[] challenge;
        try {
            challenge = mechanism.evaluate(response);
        } catch (SaslException e) {
            finished = true;
            throw e;
        }
        if (challenge != null) {
            return new SaslStep.Challenge(encode(challenge));
        }
        finished = true;
        return mechanism.result();
    }

    private byte[] decode(String base64) throws SaslException {
        if (base64.length() > MAX_RESPONSE_LENGTH) {
            finished = true;
            throw new SaslException(SaslException.Reason.TOO_LONG, "Response longer than " + MAX_RESPONSE_LENGTH + " characters");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            finished = true;
            throw new SaslException(SaslException.Reason.MALFORMED, "Invalid base64 data");
        }
    }

    private static String encode(byte[] challenge) {
        return Base64.getEncoder().encodeToString(challenge);
    }
}
