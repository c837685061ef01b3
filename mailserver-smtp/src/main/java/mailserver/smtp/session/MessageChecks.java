package mailserver.smtp.session;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

import mailserver.core.mail.MailAddress;
import mailserver.smtp.reply.Reply;

/**
 * SPF, DKIM and DMARC for mail from strangers: the session asks only for clients that neither
 * authenticated nor are in the listener's relay networks (as Postfix setups run policyd-spf and
 * OpenDMARC after permit_mynetworks and permit_sasl_authenticated). Implemented by
 * {@code mailserver.smtp.checks.InboundChecks}; {@link #NONE} checks nothing.
 */
public interface MessageChecks {

    MessageChecks NONE = (listenerName, client, helo, sender) -> null;

    /**
     * At MAIL FROM, once the command is otherwise acceptable. May block (SPF's DNS lookups).
     *
     * @param sender MAIL FROM, empty for the null sender
     * @return the checks of this transaction, or null when the listener checks nothing
     */
    TransactionChecks begin(String listenerName, InetSocketAddress client, String helo, Optional<MailAddress> sender);

    /** The checks of one mail transaction. */
    interface TransactionChecks {

        /** The reply that refuses MAIL FROM (SPF fail or temperror where the policy says so), or null. */
        Reply refusal();

        /** For the log line of a refused MAIL FROM, e.g. {@code spf=fail}. */
        String log();

        /**
         * After the whole message arrived, before it is delivered. Unless the verdict refuses
         * the message, {@code message} is rewritten in place with the result headers under the
         * Received header. May block (DNS).
         */
        CheckVerdict endOfData(String queueId, Path message);
    }

    /**
     * @param refusal    the reply refusing the message (DMARC reject), or null to deliver it
     * @param quarantine deliver to the local recipients' Junk folders instead of INBOX
     * @param log        the results for the message's log line, e.g. {@code spf=pass, dkim=pass, dmarc=pass}
     */
    record CheckVerdict(Reply refusal, boolean quarantine, String log) {
    }
}
