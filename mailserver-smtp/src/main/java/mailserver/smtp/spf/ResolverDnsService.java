package mailserver.smtp.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import mailserver.core.dns.DnsAnswer;
import mailserver.core.dns.DnsResolver;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.IPAddr;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * jSPF's view of DNS, answered by the server's {@link DnsResolver}, so SPF shares its servers,
 * timeouts, retries and TTL cache with everything else. jSPF's own dnsjava adapter
 * (DNSServiceXBillImpl) is not used: it takes some DNS failures for "no records", fills
 * dnsjava's global default cache instead of ours, and escapes non-ASCII TXT bytes as \DDD.
 *
 * <p>jSPF reads a {@code null} list as "no records" (NXDOMAIN or no data: a void lookup) and
 * a {@link TimeoutException} as temperror; DnsResolver's TEMPORARY_FAILURE (timeout,
 * SERVFAIL, network error) becomes the latter.
 */
final class ResolverDnsService implements DNSService {

    /** RFC 7208 4.6.4: a "ptr" mechanism validates no more than 10 of the client's names. */
    static final int PTR_NAME_LIMIT = 10;

    private final DnsResolver dns;

    ResolverDnsService(DnsResolver dns) {
        this.dns = dns;
    }

    @Override
    public List<String> getRecords(DNSRequest request) throws TimeoutException {
        String name = request.getHostname();
        DnsAnswer<List<String>> answer = switch (request.getRecordType()) {
            // RFC 7208 3.1 and 14.1: the SPF RR type is obsolete and checkers must not use it;
            // answering "none" makes jSPF fall through to TXT, where RFC 7208 policies live.
            case DNSRequest.SPF -> null;
            case DNSRequest.TXT -> dns.txt(name);
            case DNSRequest.A -> records(name, Type.A);
            case DNSRequest.AAAA -> records(name, Type.AAAA);
            case DNSRequest.MX -> records(name, Type.MX);
            case DNSRequest.PTR -> records(name, Type.PTR);
            default -> throw new IllegalArgumentException("unknown jSPF record type " + request.getRecordType());
        };
        if (answer == null) {
            return null;
        }
        return switch (answer.status()) {
            // jSPF consumes the lists it gets (remove(0) while it walks MX and PTR names).
            case SUCCESS -> new ArrayList<>(answer.value());
            case NXDOMAIN, NO_DATA -> null;
            case TEMPORARY_FAILURE -> throw new TimeoutException(
                    "DNS " + typeName(request.getRecordType()) + " lookup of " + name + ": " + answer.error());
        };
    }

    /** The records as jSPF wants them: addresses as text, host names without the trailing dot. */
    private DnsAnswer<List<String>> records(String name, int type) {
        DnsAnswer<List<Record>> answer = dns.lookup(name, type);
        List<String> values = answer.value().stream().map(ResolverDnsService::text).toList();
        return new DnsAnswer<>(answer.status(), values, answer.error());
    }

    private static String text(Record record) {
        return switch (record.getType()) {
            case Type.A -> ((ARecord) record).getAddress().getHostAddress();
            case Type.AAAA -> ((AAAARecord) record).getAddress().getHostAddress();
            case Type.MX -> host(((MXRecord) record).getTarget());
            case Type.PTR -> host(((PTRRecord) record).getTarget());
            default -> throw new IllegalStateException("unexpected " + Type.string(record.getType()) + " record");
        };
    }

    /** DNS names compare case-insensitively (RFC 4343); jSPF compares strings, so it gets them in lower case. */
    private static String host(Name name) {
        return IPAddr.stripDot(name.toString()).toLowerCase(Locale.ROOT);
    }

    private static String typeName(int jspfType) {
        return switch (jspfType) {
            case DNSRequest.A -> "A";
            case DNSRequest.AAAA -> "AAAA";
            case DNSRequest.MX -> "MX";
            case DNSRequest.PTR -> "PTR";
            default -> "TXT";
        };
    }

    /** Only the synchronous path is used (see {@link SpfExecutor}); this keeps the contract anyway. */
    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
        try {
            return CompletableFuture.completedFuture(getRecords(request));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Feeds the %{r} macro when no receiving domain is set; jSPF then says "unknown". Looking
     * up the local host's names would block on the system resolver, outside our timeouts.
     */
    @Override
    public List<String> getLocalDomainNames() {
        return List.of();
    }

    /** The timeout is DnsResolver's, from the {@code dns:} configuration. */
    @Override
    public void setTimeOut(int timeOut) {
        throw new UnsupportedOperationException("the DNS timeout is set in the dns: configuration");
    }

    @Override
    public int getRecordLimit() {
        return PTR_NAME_LIMIT;
    }

    @Override
    public void setRecordLimit(int recordLimit) {
        throw new UnsupportedOperationException("RFC 7208 fixes the limit at " + PTR_NAME_LIMIT);
    }
}
