package mailserver.core.config;

/**
 * One listening socket.
 *
 * @param name        the key in the YAML file: smtp, submission, submissions, imap, imaps, pop3, pop3s
 * @param protocol    what it speaks
 * @param implicitTls TLS from the first byte (465, 993, 995) instead of STARTTLS/STLS
 */
public record ListenerConfig(
        String name,
        Protocol protocol,
        boolean implicitTls,
        boolean enabled,
        String address,
        int port) {
}
