package mailserver.smtp.command;

import java.util.Objects;
import java.util.Optional;

import mailserver.core.mail.MailAddress;

/**
 * One parsed SMTP command line (RFC 5321 4.1). {@link CommandParser} makes them; {@link #format()}
 * writes the line a client would send, so that {@code parse(format(c))} gives {@code c} back.
 */
public sealed interface Command {

    /** The command line without its CRLF. */
    String format();

    /** {@code EHLO domain}: the client wants ESMTP. */
    record Ehlo(String domain) implements Command {
        public Ehlo {
            Objects.requireNonNull(domain);
        }

        @Override
        public String format() {
            return "EHLO " + domain;
        }
    }

    /** {@code HELO domain}: plain SMTP, no extensions. */
    record Helo(String domain) implements Command {
        public Helo {
            Objects.requireNonNull(domain);
        }

        @Override
        public String format() {
            return "HELO " + domain;
        }
    }

    /**
     * {@code MAIL FROM:<reverse-path> [parameters]}.
     *
     * @param reversePath empty for the null reverse-path {@code <>} (bounces, RFC 5321 4.5.5)
     */
    record Mail(Optional<MailAddress> reversePath, MailParameters parameters) implements Command {
        public Mail {
            Objects.requireNonNull(reversePath);
            Objects.requireNonNull(parameters);
        }

        @Override
        public String format() {
            return "MAIL FROM:<" + reversePath.map(MailAddress::toString).orElse("") + ">" + parameters.format();
        }
    }

    /** {@code RCPT TO:<forward-path> [parameters]}; a bare {@code <Postmaster>} is already qualified. */
    record Rcpt(MailAddress forwardPath, RcptParameters parameters) implements Command {
        public Rcpt {
            Objects.requireNonNull(forwardPath);
            Objects.requireNonNull(parameters);
        }

        @Override
        public String format() {
            return "RCPT TO:<" + forwardPath + ">" + parameters.format();
        }
    }

    record Data() implements Command {
        @Override
        public String format() {
            return "DATA";
        }
    }

    /** {@code BDAT size [LAST]} (RFC 3030): exactly {@code size} octets of message follow the line. */
    record Bdat(long size, boolean last) implements Command {
        public Bdat {
            if (size < 0) {
                throw new IllegalArgumentException("negative chunk size");
            }
        }

        @Override
        public String format() {
            return "BDAT " + size + (last ? " LAST" : "");
        }
    }

    record Rset() implements Command {
        @Override
        public String format() {
            return "RSET";
        }
    }

    /** @param argument ignored by the server, kept for the round trip; empty when absent */
    record Noop(String argument) implements Command {
        public Noop {
            Objects.requireNonNull(argument);
        }

        @Override
        public String format() {
            return argument.isEmpty() ? "NOOP" : "NOOP " + argument;
        }
    }

    record Quit() implements Command {
        @Override
        public String format() {
            return "QUIT";
        }
    }

    record Vrfy(String argument) implements Command {
        public Vrfy {
            Objects.requireNonNull(argument);
        }

        @Override
        public String format() {
            return "VRFY " + argument;
        }
    }

    record Expn(String argument) implements Command {
        public Expn {
            Objects.requireNonNull(argument);
        }

        @Override
        public String format() {
            return "EXPN " + argument;
        }
    }

    /** @param topic empty when absent */
    record Help(String topic) implements Command {
        public Help {
            Objects.requireNonNull(topic);
        }

        @Override
        public String format() {
            return topic.isEmpty() ? "HELP" : "HELP " + topic;
        }
    }

    record StartTls() implements Command {
        @Override
        public String format() {
            return "STARTTLS";
        }
    }

    /**
     * {@code AUTH mechanism [initial-response]} (RFC 4954).
     *
     * @param mechanism       upper-case SASL mechanism name
     * @param initialResponse base64 text, {@code "="} for an empty response, or empty when absent
     */
    record Auth(String mechanism, Optional<String> initialResponse) implements Command {
        public Auth {
            Objects.requireNonNull(mechanism);
            Objects.requireNonNull(initialResponse);
        }

        @Override
        public String format() {
            return "AUTH " + mechanism + initialResponse.map(r -> " " + r).orElse("");
        }
    }
}
