package mailserver.auth.sasl;

/** The decoded bytes of one SASL mechanism's server side; base64 and cancelling are {@link SaslExchange}'s job. */
interface Mechanism {

    /** The challenge to send when the client gave no initial response. */
    byte[] firstChallenge();

    /** Takes one decoded response: a non-null result is the next challenge, null means {@link #credentials()} are ready. */
    byte[] evaluate(byte[] response) throws SaslException;

    Credentials credentials();
}
