package mailserver.smtp.session;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import mailserver.core.mail.MailAddress;
import mailserver.smtp.command.MailParameters;

/**
 * Everything the SMTP transaction said about a message besides its content: what the
 * {@link MessageSink} needs to deliver or queue it, and the DSN parameters to keep with it.
 *
 * @param queueId           this server's id of the message, in every log line about it
 * @param reversePath       MAIL FROM, empty for the null sender {@code <>}
 * @param mailParameters    SIZE, BODY, SMTPUTF8, AUTH=, RET, ENVID
 * @param recipients        accepted recipients, in order, without duplicates
 * @param heloName          what the client said in EHLO/HELO
 * @param client            the client's address
 * @param authenticatedUser the SASL identity, if the client authenticated
 * @param tls               the connection's TLS, if any
 * @param received          when the transaction began
 * @param quarantine        DMARC asked for quarantine: local copies go to the Junk folder
 */
public record Envelope(
        String queueId,
        Optional<MailAddress> reversePath,
        MailParameters mailParameters,
        List<Recipient> recipients,
        String heloName,
        InetSocketAddress client,
        Optional<String> authenticatedUser,
        Optional<TlsInfo> tls,
        Instant received,
        boolean quarantine) {

    /** A message for the INBOX. */
    public Envelope(String queueId, Optional<MailAddress> reversePath, MailParameters mailParameters, List<Recipient> recipients,
            String heloName, InetSocketAddress client, Optional<String> authenticatedUser, Optional<TlsInfo> tls, Instant received) {
        this(queueId, reversePath, mailParameters, recipients, heloName, client, authenticatedUser, tls, received, false);
    }

    public Envelope {
        Objects.requireNonNull(queueId);
        Objects.requireNonNull(reversePath);
        Objects.requireNonNull(mailParameters);
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(heloName);
        Objects.requireNonNull(client);
        Objects.requireNonNull(authenticatedUser);
        Objects.requireNonNull(tls);
        Objects.requireNonNull(received);
    }
}
