package mailserver.auth.sasl;

/**
 * What a client proved it knows at the end of a SASL exchange or a USER/PASS pair. The
 * password never appears in {@link #toString()}, so it cannot slip into a log line.
 */
public record Credentials(String username, char[] password) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + "]";
    }
}
