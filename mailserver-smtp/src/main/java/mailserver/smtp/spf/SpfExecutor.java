package mailserver.smtp.spf;

import java.time.Duration;
import java.util.List;
import org.apache.james.jspf.core.DNSLookupContinuation;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSResponse;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.SPFChecker;
import org.apache.james.jspf.core.SPFCheckerExceptionCatcher;
import org.apache.james.jspf.core.SPFSession;
import org.apache.james.jspf.core.exceptions.PermErrorException;
import org.apache.james.jspf.core.exceptions.SPFResultException;
import org.apache.james.jspf.core.exceptions.TempErrorException;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.apache.james.jspf.executor.FutureSPFResult;
import org.apache.james.jspf.executor.SPFExecutor;

/**
 * Runs a jSPF session on the calling thread, as jSPF's SynchronousSPFExecutor does, and adds
 * the two RFC 7208 4.6.4 limits jSPF (written for RFC 4408) lacks. Every DNS answer passes
 * through here, with the session at hand, so the count lives in the session:
 * <ul>
 *   <li>more than {@value #VOID_LOOKUP_LIMIT} void lookups (NXDOMAIN or no records) by the
 *       a, mx, ptr and exists mechanisms is a permerror. TXT lookups are not counted: a void
 *       include or redirect target is a permerror of its own, and exp= must not count;</li>
 *   <li>an mx mechanism whose domain has more than {@value #MX_LIMIT} MX records is a permerror.</li>
 * </ul>
 * The 10-term limit itself is jSPF's (SPFSession.increaseCurrentDepth). A check also has a
 * time limit, so a domain whose servers answer each query just before the timeout cannot
 * hold a worker thread for minutes.
 */
final class SpfExecutor implements SPFExecutor {

    static final int VOID_LOOKUP_LIMIT = 2;
    static final int MX_LIMIT = 10;

    private static final String VOID_LOOKUPS = SpfExecutor.class.getName() + ".voidLookups";
    private static final String DNS_FAILURE = SpfExecutor.class.getName() + ".dnsFailure";

    private final DNSService dns;
    private final Duration timeLimit;

    /**
     * @param timeLimit how long one check may take; a lookup that would start later is a
     *                  temperror (RFC 7208 4.6.4 asks for such a limit, of at least 20 seconds)
     */
    SpfExecutor(DNSService dns, Duration timeLimit) {
        this.dns = dns;
        this.timeLimit = timeLimit;
    }

    @Override
    public void execute(SPFSession session, FutureSPFResult result) {
        long started = System.nanoTime();
        SPFChecker checker;
        while ((checker = session.popChecker()) != null) {
            try {
                DNSLookupContinuation continuation = checker.checkSPF(session);
                while (continuation != null) {
                    if (System.nanoTime() - started >= timeLimit.toNanos()) {
                        // The reason is the clock, not an earlier (skipped) DNS failure.
                        session.removeAttribute(DNS_FAILURE);
                        throw new TempErrorException("SPF evaluation not done within " + timeLimit.toSeconds()
                                + " seconds (RFC 7208 4.6.4), before looking up " + continuation.getRequest().getHostname());
                    }
                    DNSResponse response = lookup(continuation.getRequest(), session);
                    continuation = continuation.getListener().onDNSResponse(response, session);
                }
            } catch (Exception e) {
                handle(e, session);
            }
        }
        result.setSPFResult(session);
    }

    /**
     * What the last failed DNS lookup of the session said (which name, which type, timeout or
     * SERVFAIL), or null: jSPF's temperror says only "Timeout querying dns".
     */
    static String lastDnsFailure(SPFSession session) {
        return session.getAttribute(DNS_FAILURE) instanceof String failure ? failure : null;
    }

    /** Hands an exception down the stack of catchers (an include's, then the check's own) until one takes it. */
    private static void handle(Exception exception, SPFSession session) {
        Exception pending = exception;
        while (pending != null) {
            SPFChecker catcher = session.popChecker(c -> c instanceof SPFCheckerExceptionCatcher);
            if (catcher == null) {
                throw new IllegalStateException("no SPF exception catcher left for " + session, pending);
            }
            try {
                ((SPFCheckerExceptionCatcher) catcher).onException(pending, session);
                pending = null;
            } catch (SPFResultException rethrown) {
                pending = rethrown;
            }
        }
    }

    private DNSResponse lookup(DNSRequest request, SPFSession session) throws PermErrorException {
        List<String> records;
        try {
            records = dns.getRecords(request);
        } catch (TimeoutException e) {
            session.setAttribute(DNS_FAILURE, e.getMessage());
            return new DNSResponse(e);
        }
        int type = request.getRecordType();
        boolean mechanismLookup = type == DNSRequest.A || type == DNSRequest.AAAA
                || type == DNSRequest.MX || type == DNSRequest.PTR;
        // Once a mechanism matched, lookups only expand an explanation (%{p}); they do not count.
        if (records == null && mechanismLookup && session.getCurrentResult() == null) {
            int voids = session.getAttribute(VOID_LOOKUPS) instanceof Integer count ? count + 1 : 1;
            session.setAttribute(VOID_LOOKUPS, voids);
            if (voids > VOID_LOOKUP_LIMIT) {
                throw new PermErrorException("more than " + VOID_LOOKUP_LIMIT + " void DNS lookups (RFC 7208 4.6.4), the last for "
                        + request.getHostname());
            }
        }
        if (type == DNSRequest.MX && records != null && records.size() > MX_LIMIT) {
            throw new PermErrorException(request.getHostname() + " has more than " + MX_LIMIT + " MX records (RFC 7208 4.6.4)");
        }
        return new DNSResponse(records);
    }
}
