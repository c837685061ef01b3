package mailserver.auth.sasl;

/** The decoded bytes of one SASL mechanism's server side; base64 and cancelling are {@link SaslExchange}'s job. */
interface Mechanism {

    /** The challenge to send when the client gave no initial response. */
    byte[] firstChallenge();

    /** Takes one decoded response: a non-null result is the next challenge, null means {@link #result()} is ready. */
    byte[] evaluate(byte[] response) throws SaslException;

    /** How the exchange ended: credentials to check, or the outcome of a mechanism that checked them itself. */
    SaslStep result();
}
