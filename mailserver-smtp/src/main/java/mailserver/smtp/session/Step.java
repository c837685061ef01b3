package mailserver.smtp.session;

import java.time.Duration;
import java.util.Objects;

import mailserver.smtp.reply.Reply;

/**
 * What the connection does after the session handled one input.
 *
 * @param reply      to send; {@code null} only for {@link Next#CHUNK}, whose reply follows the chunk
 * @param next       how to read what comes next
 * @param chunkBytes for {@link Next#CHUNK}: how many raw bytes to read before {@link SmtpSession#endOfData()}
 * @param delay      how long to wait before sending the reply (a failed AUTH), reading nothing meanwhile
 */
public record Step(Reply reply, Next next, long chunkBytes, Duration delay) {

    /** How the connection reads after this step. */
    public enum Next {
        /** lines: commands or SASL responses, for {@link SmtpSession#line} */
        COMMAND,
        /** the message text after 354, line by line into {@link SmtpSession#data}, until {@link SmtpSession#dataComplete()} */
        DATA,
        /** {@link #chunkBytes} raw bytes into {@link SmtpSession#data}, then {@link SmtpSession#endOfData()} */
        CHUNK,
        /** send the reply, forget buffered input, start TLS, then call {@link SmtpSession#tlsStarted} */
        START_TLS,
        /** send the reply and close the connection */
        CLOSE
    }

    public Step {
        Objects.requireNonNull(next);
        Objects.requireNonNull(delay);
        if (reply == null && next != Next.CHUNK) {
            throw new IllegalArgumentException("only a BDAT chunk defers its reply");
        }
    }

    public static Step reply(Reply reply) {
        return new Step(reply, Next.COMMAND, 0, Duration.ZERO);
    }

    public static Step then(Reply reply, Next next) {
        return new Step(reply, next, 0, Duration.ZERO);
    }

    static Step chunk(long bytes) {
        return new Step(null, Next.CHUNK, bytes, Duration.ZERO);
    }

    static Step delayed(Reply reply, Duration delay) {
        return new Step(reply, Next.COMMAND, 0, delay);
    }
}
