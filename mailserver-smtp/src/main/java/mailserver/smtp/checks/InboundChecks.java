package mailserver.smtp.checks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import mailserver.core.config.ChecksConfig;
import mailserver.core.config.ChecksConfig.DmarcMode;
import mailserver.core.config.ChecksConfig.ListenerChecks;
import mailserver.core.config.ChecksConfig.SpfAction;
import mailserver.core.config.ChecksConfig.TemperrorAction;
import mailserver.core.dns.DnsResolver;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.dkim.DkimResult;
import mailserver.smtp.dkim.DkimVerifier;
import mailserver.smtp.dmarc.DmarcPolicy;
import mailserver.smtp.dmarc.DmarcResult;
import mailserver.smtp.dmarc.DmarcVerifier;
import mailserver.smtp.dmarc.FromHeader;
import mailserver.smtp.reply.Reply;
import mailserver.smtp.session.MessageChecks;
import mailserver.smtp.spf.SpfResult;
import mailserver.smtp.spf.SpfVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPF at MAIL FROM; DKIM, DMARC and the result headers once the message is in. What each
 * result leads to comes from {@link ChecksConfig}:
 * <ul>
 * <li>SPF {@code fail} is refused at MAIL FROM with {@code 550 5.7.23} where the listener's
 * policy is {@code reject}; {@code temperror} with {@code 451 4.7.24} where it is
 * {@code defer}; {@code softfail} and the rest are only recorded;</li>
 * <li>DMARC {@code reject} refuses the message with {@code 550 5.7.1} at the end of the data,
 * {@code quarantine} delivers it to the Junk folders, unless DMARC is {@code report-only} or
 * the From domain is in {@code dmarc-override-domains}; several authors in From are refused
 * likewise (RFC 7489 6.6.1), a message without any is not evaluated;</li>
 * <li>an accepted message gets one Authentication-Results and one Received-SPF field under our
 * Received field, and loses every Authentication-Results field that claims our authserv-id
 * (RFC 8601 5).</li>
 * </ul>
 * Thread-safe; blocking (DNS): called on worker threads.
 */
public final class InboundChecks implements MessageChecks {

    private static final Logger log = LoggerFactory.getLogger(InboundChecks.class);
    private static final Reply TRY_LATER = Reply.of(451, "4.3.0", "Local error in processing, try again later");

    private final ChecksConfig config;
    private final String hostname;
    private final SpfVerifier spf;
    private final DkimVerifier dkim;
    private final DmarcVerifier dmarc;

    /** @param hostname this server's name, the {@code receiver} of Received-SPF */
    public InboundChecks(ChecksConfig config, String hostname, SpfVerifier spf, DkimVerifier dkim, DmarcVerifier dmarc) {
        this.config = config;
        this.hostname = hostname;
        this.spf = spf;
        this.dkim = dkim;
        this.dmarc = dmarc;
    }

    /** The checks over the server's resolver, with its timeouts and cache. */
    public static InboundChecks create(ChecksConfig config, String hostname, DnsResolver dns) {
        return new InboundChecks(config, hostname, new SpfVerifier(dns), new DkimVerifier(dns), new DmarcVerifier(dns));
    }

    @Override
    public TransactionChecks begin(String listenerName, InetSocketAddress client, String helo, Optional<MailAddress> sender) {
        ListenerChecks policy = config.forListener(listenerName);
        if (policy.spf() == SpfAction.OFF && !config.dkimVerify() && config.dmarc() == DmarcMode.OFF) {
            return null;
        }
        SpfResult spfResult = policy.spf() == SpfAction.OFF ? null : checkSpf(client, helo, sender);
        return new Transaction(policy, client, helo, spfResult);
    }

    private SpfResult checkSpf(InetSocketAddress client, String helo, Optional<MailAddress> sender) {
        try {
            return spf.check(client.getAddress(), helo, sender.map(MailAddress::toString).orElse(""));
        } catch (RuntimeException e) {
            log.error("SPF check of {} from {} failed", sender.map(MailAddress::toString).orElse("<>"), client, e);
            String identity = sender.map(MailAddress::toString).orElse("postmaster@" + helo);
            return new SpfResult(SpfResult.Result.TEMPERROR, sender.isPresent() ? "mailfrom" : "helo",
                    identity.substring(identity.lastIndexOf('@') + 1), identity, null, "internal error");
        }
    }

    private final class Transaction implements TransactionChecks {

        private final ListenerChecks policy;
        private final InetSocketAddress client;
        private final String helo;
        private final SpfResult spfResult;

        Transaction(ListenerChecks policy, InetSocketAddress client, String helo, SpfResult spfResult) {
            this.policy = policy;
            this.client = client;
            this.helo = helo;
            this.spfResult = spfResult;
        }

        @Override
        public Reply refusal() {
            if (spfResult == null) {
                return null;
            }
            if (spfResult.result() == SpfResult.Result.FAIL && policy.spf() == SpfAction.REJECT) {
                String explanation = spfResult.explanation() == null || spfResult.explanation().isBlank()
                        ? spfResult.domain() + " does not allow " + client.getAddress().getHostAddress() + " to send its mail"
                        : spfResult.explanation();
                return Reply.sanitized(550, "5.7.23", "Message rejected due to SPF fail: " + explanation);
            }
            if (spfResult.result() == SpfResult.Result.TEMPERROR && policy.spfTemperror() == TemperrorAction.DEFER) {
                return Reply.sanitized(451, "4.7.24", "Temporary SPF error, try again later: " + spfResult.problem());
            }
            return null;
        }

        @Override
        public String log() {
            return spfResult == null ? "" : "spf=" + spfResult.result().keyword();
        }

        @Override
        public CheckVerdict endOfData(String queueId, Path message) {
            try {
                return check(queueId, message);
            } catch (IOException | RuntimeException e) {
                // Unchecked mail would keep forged Authentication-Results: the client retries instead.
                log.error("{}: the SPF/DKIM/DMARC checks failed", queueId, e);
                return new CheckVerdict(TRY_LATER, false, log() + ", checks=failed");
            }
        }

        private CheckVerdict check(String queueId, Path message) throws IOException {
            List<DkimResult> signatures = config.dkimVerify() ? verifyDkim(queueId, message) : null;
            DmarcResult dmarcResult = config.dmarc() == DmarcMode.OFF ? null : evaluateDmarc(message, signatures);
            Reply refusal = null;
            boolean quarantine = false;
            if (dmarcResult != null && dmarcResult.disposition() != DmarcPolicy.NONE) {
                String exempt = exemption(dmarcResult);
                if (exempt != null) {
                    dmarcResult = new DmarcResult(dmarcResult.result(), dmarcResult.fromDomain(), dmarcResult.policy(),
                            DmarcPolicy.NONE, dmarcResult.reason() + "; not enforced: " + exempt);
                } else if (dmarcResult.disposition() == DmarcPolicy.REJECT) {
                    refusal = Reply.sanitized(550, "5.7.1", dmarcResult.fromDomain() != null
                            ? "Message rejected per the DMARC policy of " + dmarcResult.fromDomain()
                            : "Message rejected: " + dmarcResult.reason() + " (RFC 5322 3.6.2, RFC 7489 6.6.1)");
                } else {
                    quarantine = true;
                }
            }
            String logLine = logLine(signatures, dmarcResult);
            if (refusal != null) {
                return new CheckVerdict(refusal, false, logLine);
            }
            String fields = AuthenticationResults.format(config.authservId(), spfResult, helo, signatures, dmarcResult)
                    + (spfResult == null ? "" : spfResult.receivedSpfHeader(hostname, client.getAddress(), helo) + "\r\n");
            int removed = MessageFile.rewrite(message, fields,
                    value -> AuthenticationResults.authservId(value).equalsIgnoreCase(config.authservId()));
            if (removed > 0) {
                log.info("{}: removed {} Authentication-Results header(s) with our authserv-id {} or unreadable", queueId,
                        removed, config.authservId());
            }
            return new CheckVerdict(null, quarantine, logLine);
        }

        private List<DkimResult> verifyDkim(String queueId, Path message) {
            try {
                return dkim.verify(message);
            } catch (IOException e) {
                log.warn("{}: cannot read the message to verify DKIM: {}", queueId, e.toString());
                return List.of(new DkimResult(DkimResult.Result.TEMPERROR, null, null, null, null,
                        "cannot read the message", null));
            }
        }

        private DmarcResult evaluateDmarc(Path message, List<DkimResult> signatures) throws IOException {
            FromHeader from = FromHeader.parse(MessageFile.fieldValues(message, "From"));
            if (from.problem() == FromHeader.Problem.SEVERAL) {
                return new DmarcResult(DmarcResult.Result.PERMERROR, null, null, DmarcPolicy.REJECT, from.detail());
            }
            if (from.problem() != null) {
                return new DmarcResult(from.problem() == FromHeader.Problem.MISSING ? DmarcResult.Result.NONE
                        : DmarcResult.Result.PERMERROR, null, null, DmarcPolicy.NONE, from.detail());
            }
            // RFC 7489 4.1: DMARC takes SPF's MAIL FROM result, and for the null sender (bounces)
            // that identity is postmaster@<HELO> (RFC 7208 2.4), as OpenDMARC reads it.
            String spfDomain = spfResult != null && spfResult.result() == SpfResult.Result.PASS ? spfResult.domain() : null;
            List<String> dkimDomains = signatures == null ? List.of() : signatures.stream()
                    .filter(s -> s.result() == DkimResult.Result.PASS && s.domain() != null)
                    .map(DkimResult::domain).toList();
            return dmarc.check(from.domain(), spfDomain, dkimDomains);
        }

        /** Why DMARC's disposition is not carried out, or null when it is. */
        private String exemption(DmarcResult result) {
            if (config.dmarc() == DmarcMode.REPORT_ONLY) {
                return "report-only";
            }
            String from = result.fromDomain();
            if (from != null && config.dmarcOverrideDomains().stream().anyMatch(d -> from.equals(d) || from.endsWith("." + d))) {
                return "local override";
            }
            return null;
        }

        /** For the message's log line, e.g. {@code spf=pass, dkim=pass, dmarc=fail (quarantine)}. */
        private String logLine(List<DkimResult> signatures, DmarcResult dmarcResult) {
            StringBuilder out = new StringBuilder(log());
            if (signatures != null) {
                out.append(out.isEmpty() ? "" : ", ").append("dkim=").append(signatures.isEmpty() ? "none"
                        : signatures.stream().map(s -> s.result().keyword()).collect(Collectors.joining("/")));
            }
            if (dmarcResult != null) {
                out.append(out.isEmpty() ? "" : ", ").append("dmarc=").append(dmarcResult.result().keyword());
                if (dmarcResult.disposition() != DmarcPolicy.NONE) {
                    out.append(" (").append(dmarcResult.disposition().keyword()).append(')');
                }
            }
            return out.toString();
        }
    }
}
