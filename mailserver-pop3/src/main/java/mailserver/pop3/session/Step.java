package mailserver.pop3.session;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the connection does after one command: send {@code reply} (after {@code delay}, for a
 * failed login), stream {@code body} if there is one, then carry on as {@code next} says.
 */
public record Step(Reply reply, Next next, Duration delay, Optional<MessageBody> body) {

    public enum Next {
        /** Read the next command (or SASL response). */
        READ,
        /** The reply is the last cleartext: start TLS, then read. */
        START_TLS,
        /** Close the connection after the reply. */
        CLOSE
    }

    public Step {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(body, "body");
    }

    public static Step reply(Reply reply) {
        return new Step(reply, Next.READ, Duration.ZERO, Optional.empty());
    }

    public static Step close(Reply reply) {
        return new Step(reply, Next.CLOSE, Duration.ZERO, Optional.empty());
    }
}
