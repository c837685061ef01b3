package mailserver.smtp.command;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ESMTP parameters of MAIL FROM this server understands.
 *
 * @param size       SIZE= (RFC 1870): the client's estimate of the message size in octets
 * @param body       BODY= (RFC 6152, RFC 3030)
 * @param smtpUtf8   SMTPUTF8 (RFC 6531): addresses and headers may be UTF-8
 * @param auth       AUTH= (RFC 4954 5), xtext-decoded; {@code <>} when the submitter is unknown
 * @param dsnReturn  RET= (RFC 3461)
 * @param envelopeId ENVID= (RFC 3461), xtext-decoded
 */
public record MailParameters(
        OptionalLong size,
        Optional<BodyType> body,
        boolean smtpUtf8,
        Optional<String> auth,
        Optional<DsnReturn> dsnReturn,
        Optional<String> envelopeId) {

    public static final MailParameters NONE = new MailParameters(
            OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());

    public MailParameters {
        Objects.requireNonNull(size);
        Objects.requireNonNull(body);
        Objects.requireNonNull(auth);
        Objects.requireNonNull(dsnReturn);
        Objects.requireNonNull(envelopeId);
    }

    /** The parameters as they follow the path, each with a leading space; empty for {@link #NONE}. */
    String format() {
        StringBuilder out = new StringBuilder();
        size.ifPresent(s -> out.append(" SIZE=").append(s));
        body.ifPresent(b -> out.append(" BODY=").append(b.keyword()));
        if (smtpUtf8) {
            out.append(" SMTPUTF8");
        }
        auth.ifPresent(a -> out.append(" AUTH=").append(Xtext.encode(a)));
        dsnReturn.ifPresent(r -> out.append(" RET=").append(r));
        envelopeId.ifPresent(e -> out.append(" ENVID=").append(Xtext.encode(e)));
        return out.toString();
    }
}
