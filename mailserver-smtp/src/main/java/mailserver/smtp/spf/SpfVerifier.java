package mailserver.smtp.spf;

import java.net.IDN;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import io.netty.util.NetUtil;
import mailserver.core.dns.DnsResolver;
import org.apache.james.jspf.core.DNSLookupContinuation;
import org.apache.james.jspf.core.DNSServiceEnabled;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.MacroExpandEnabled;
import org.apache.james.jspf.core.SPFCheckEnabled;
import org.apache.james.jspf.core.SPF1Utils;
import org.apache.james.jspf.core.SPFChecker;
import org.apache.james.jspf.core.SPFCheckerExceptionCatcher;
import org.apache.james.jspf.core.SPFSession;
import org.apache.james.jspf.core.exceptions.SPFErrorConstants;
import org.apache.james.jspf.core.exceptions.SPFResultException;
import org.apache.james.jspf.core.exceptions.TempErrorException;
import org.apache.james.jspf.executor.FutureSPFResult;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.impl.SPF;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.apache.james.jspf.wiring.WiringServiceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks whether a client may send mail for a domain (RFC 7208), with Apache James jSPF
 * evaluating the policy over the server's {@link DnsResolver}. The MAIL FROM identity is
 * checked; for the null sender the HELO identity, as {@code postmaster@<helo>} (RFC 7208 2.4).
 *
 * <p>Thread-safe: one instance serves every SMTP session. Each check blocks its thread for
 * its DNS lookups (at most 10 mechanisms, each within the {@code dns:} timeout, and 20
 * seconds in all), so it runs on a worker thread, never on an event loop.
 */
public final class SpfVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(SpfVerifier.class);

    private static final String PROBLEM = SpfVerifier.class.getName() + ".problem";
    private static final String SYNTAX_ERROR = " is not syntactically valid:";

    /** RFC 7208 4.6.4: a limit on a whole check "SHOULD allow at least 20 seconds". */
    static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    private final SPF spf;
    private final SpfExecutor executor;

    public SpfVerifier(DnsResolver dns) {
        this(dns, TIME_LIMIT);
    }

    SpfVerifier(DnsResolver dns, Duration timeLimit) {
        ResolverDnsService service = new ResolverDnsService(dns);
        MacroExpand macros = new Rfc7208MacroExpand(service);
        // What SPF's own constructor wires, with the RFC 7208 corrections in place of jSPF's parts.
        WiringServiceTable wiring = new WiringServiceTable();
        wiring.put(DNSServiceEnabled.class, service);
        wiring.put(MacroExpandEnabled.class, macros);
        this.executor = new SpfExecutor(service, timeLimit);
        this.spf = new SPF(service, new RFC4408SPF1Parser(new Rfc7208Terms(new DefaultTermsFactory(wiring))), macros, executor);
        wiring.put(SPFCheckEnabled.class, spf);
        // Without an exp= the explanation stays empty, not jSPF's link to the defunct openspf.org.
        spf.setDefaultExplanation("");
    }

    /**
     * Blocking.
     *
     * @param client   the SMTP client's address
     * @param helo     the HELO/EHLO name as the client gave it
     * @param mailFrom the MAIL FROM address without angle brackets; "" for the null sender.
     *                 The result names the sender and domain as given (U-labels stay U-labels)
     */
    public SpfResult check(InetAddress client, String helo, String mailFrom) {
        boolean nullSender = mailFrom.isEmpty();
        String identity = nullSender ? "helo" : "mailfrom";
        // RFC 7208 4.3: a sender without local-part is postmaster at its domain.
        String sender = nullSender ? "postmaster@" + helo : mailFrom.startsWith("@") ? "postmaster" + mailFrom : mailFrom;
        String domain = domainOf(sender);

        String asciiFrom = nullSender ? "" : mailFrom.substring(0, mailFrom.lastIndexOf('@') + 1) + aLabels(domainOf(mailFrom));
        SPFSession session = new Session(asciiFrom, aLabels(helo), client);
        session.pushChecker(new Conclusion());
        session.pushChecker(spf);
        executor.execute(session, new FutureSPFResult());

        SpfResult.Result result = SpfResult.Result.valueOf(session.getCurrentResultExpanded().toUpperCase(Locale.ROOT));
        String explanation = result == SpfResult.Result.FAIL ? emptyToNull(session.getExplanation()) : null;
        String problem = null;
        if (result == SpfResult.Result.TEMPERROR || result == SpfResult.Result.PERMERROR) {
            problem = session.getAttribute(PROBLEM) instanceof String text ? text : "no details";
        }
        SpfResult outcome = new SpfResult(result, identity, domain, sender, explanation, problem);
        LOG.debug("SPF {} for {} from {} (helo {}){}", result.keyword(), sender, client.getHostAddress(), helo,
                problem == null ? "" : ": " + problem);
        return outcome;
    }

    /** A jSPF session whose %{c} is an IPv6 address in RFC 5952 form ("2001:db8::1"), as RFC 7208 7.3 wants. */
    private static final class Session extends SPFSession {

        private final String readable;

        Session(String mailFrom, String helo, InetAddress client) {
            super(mailFrom, helo, NetUtil.toAddressString(client, false));
            this.readable = NetUtil.toAddressString(client, false);
        }

        @Override
        public String getReadableIP() {
            return readable;
        }
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /**
     * RFC 7208 4.3: an internationalized domain (an SMTPUTF8 sender or HELO) is looked up in
     * its A-label form. A name IDNA rejects stays as it is, and finds no policy.
     */
    private static String aLabels(String domain) {
        if (domain.chars().allMatch(c -> c < 0x80)) {
            return domain;
        }
        try {
            return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return domain;
        }
    }

    /** jSPF's syntax error ends with its whole term regex, kilobytes no admin or header wants. */
    private static String problem(Throwable exception) {
        String message = exception.getMessage() != null ? exception.getMessage() : exception.toString();
        int regex = message.indexOf(SYNTAX_ERROR);
        return regex < 0 ? message : message.substring(0, regex + SYNTAX_ERROR.length() - 1);
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * The bottom of the session's checker stack (jSPF's DefaultSPFChecker does this job in
     * SPF.checkSPF, but keeps the reason of an error to itself): turns the matched qualifier,
     * or the exception that ended the evaluation, into the result name, and keeps the reason.
     */
    private static final class Conclusion implements SPFChecker, SPFCheckerExceptionCatcher {

        @Override
        public DNSLookupContinuation checkSPF(SPFSession session) {
            if (session.getCurrentResultExpanded() == null) {
                String qualifier = session.getCurrentResult() == null ? "" : session.getCurrentResult();
                session.setCurrentResultExpanded(SPF1Utils.resultToName(qualifier));
            }
            return null;
        }

        @Override
        public void onException(Throwable exception, SPFSession session) {
            if (exception instanceof SPFResultException spfResult) {
                session.setCurrentResultExpanded(spfResult.getResult());
            } else {
                // A jSPF bug, not the domain's fault: temperror lets the sender retry instead of failing it.
                LOG.warn("SPF evaluation failed for {}", session.getMailFrom(), exception);
                session.setCurrentResultExpanded(SPFErrorConstants.TEMP_ERROR_CONV);
            }
            String dnsFailure = SpfExecutor.lastDnsFailure(session);
            if (exception instanceof TempErrorException && dnsFailure != null) {
                session.setAttribute(PROBLEM, dnsFailure);
            } else {
                session.setAttribute(PROBLEM, problem(exception));
            }
        }
    }
}
