package mailserver.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import mailserver.core.config.DnsConfig;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The server's DNS client, over dnsjava. Every method blocks until the answer (or the timeout)
 * arrives, so callers run it on worker threads, never on an event loop. Thread-safe: one
 * instance serves the whole process, and its cache is shared by every caller.
 *
 * <p>Names are always absolute (no search domains) and /etc/hosts is not consulted: mail
 * routing follows DNS only, as Postfix's smtp_host_lookup = dns does. CNAMEs are followed.
 * Queries carry EDNS0 with a 1232-byte payload, so a 2048-bit DKIM key fits in one UDP
 * answer; a truncated answer is asked again over TCP.
 *
 * <p>A name that is not a valid domain name (e.g. a 64-character label from a client's
 * EHLO) answers NXDOMAIN with the reason in {@link DnsAnswer#error()}, without a query.
 */
public final class DnsResolver {

    /** RFC 6891 / DNS flag day 2020: the largest payload that avoids IP fragmentation. */
    static final int EDNS_PAYLOAD = 1232;
    /** dnsjava checks for timed-out queries when its selector has been idle this long. */
    private static final Duration SELECTOR_GRANULARITY = Duration.ofSeconds(1);

    private final ExtendedResolver resolver;
    private final Cache cache;
    private final String servers;
    private final Duration timeout;
    private final int attempts;

    public DnsResolver(DnsConfig config) {
        List<InetSocketAddress> addresses = config.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : config.servers();
        List<Resolver> simple = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            SimpleResolver one = new SimpleResolver(address);
            one.setTimeout(config.timeout());
            simple.add(one);
        }
        this.resolver = new ExtendedResolver(simple);
        int attempts = config.retries() + 1;
        // ExtendedResolver's "retries" counts every try to one server, the first included.
        resolver.setRetries(attempts);
        // Its own timeout is a deadline for the whole query; ours is per try, so it must cover all
        // tries, plus the second that dnsjava's selector may take to notice a try timed out.
        resolver.setTimeout(config.timeout().plus(SELECTOR_GRANULARITY)
                .multipliedBy((long) attempts * Math.max(1, simple.size())));
        resolver.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
        this.cache = config.cache() ? new Cache(DClass.IN) : null;
        this.servers = addresses.stream().map(DnsResolver::show).collect(Collectors.joining(", "));
        this.timeout = config.timeout();
        this.attempts = attempts;
    }

    /**
     * The MX hosts of {@code domain}, lowest preference first. A null MX (RFC 7505, target ".")
     * is an {@link MxHost} with host "" (see {@link MxHost#isNullMx()}). NO_DATA or NXDOMAIN
     * leave the implicit MX (the domain's own A/AAAA, RFC 5321 5.1) to the caller.
     */
    public DnsAnswer<List<MxHost>> mx(String domain) {
        return lookup(domain, Type.MX).map(records -> records.stream()
                .map(record -> (MXRecord) record)
                .map(mx -> new MxHost(mx.getPriority(), host(mx.getTarget())))
                .sorted(Comparator.comparingInt(MxHost::preference))
                .toList());
    }

    /**
     * The A and AAAA addresses of {@code host}, IPv4 first. SUCCESS when either type has
     * records (a failed AAAA query does not hide working IPv4 addresses).
     */
    public DnsAnswer<List<InetAddress>> addresses(String host) {
        DnsAnswer<List<Record>> v4 = lookup(host, Type.A);
        if (v4.status() == DnsAnswer.Status.NXDOMAIN) {
            return DnsAnswer.empty(v4.status(), v4.error());
        }
        DnsAnswer<List<Record>> v6 = lookup(host, Type.AAAA);
        List<InetAddress> found = new ArrayList<>();
        v4.value().forEach(record -> found.add(((ARecord) record).getAddress()));
        v6.value().forEach(record -> found.add(((AAAARecord) record).getAddress()));
        if (!found.isEmpty()) {
            return DnsAnswer.success(found);
        }
        for (DnsAnswer<List<Record>> answer : List.of(v4, v6)) {
            if (answer.status() != DnsAnswer.Status.NO_DATA) {
                return DnsAnswer.empty(answer.status(), answer.error());
            }
        }
        return DnsAnswer.empty(DnsAnswer.Status.NO_DATA, "");
    }

    /** One string per TXT record: its character-strings joined with nothing between, as SPF, DKIM and DMARC read them. */
    public DnsAnswer<List<String>> txt(String name) {
        return lookup(name, Type.TXT).map(records -> records.stream()
                .map(record -> joined((TXTRecord) record))
                .toList());
    }

    /** The names of {@code address} (PTR under in-addr.arpa or ip6.arpa), without the trailing dot. */
    public DnsAnswer<List<String>> ptr(InetAddress address) {
        return lookup(ReverseMap.fromAddress(address), Type.PTR).map(records -> records.stream()
                .map(record -> host(((PTRRecord) record).getTarget()))
                .toList());
    }

    /** The records of {@code type} (a dnsjava {@link Type} constant) at {@code name}, CNAMEs followed. */
    public DnsAnswer<List<Record>> lookup(String name, int type) {
        Name parsed;
        try {
            parsed = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            return DnsAnswer.empty(DnsAnswer.Status.NXDOMAIN, "not a valid domain name: " + e.getMessage());
        }
        return lookup(parsed, type);
    }

    /**
     * The dnsjava resolver this instance queries through, with its servers, timeout and EDNS
     * settings; for libraries that take a dnsjava {@link Resolver} (jSPF). Do not change its settings.
     */
    public Resolver resolver() {
        return resolver;
    }

    /**
     * The dnsjava cache this instance fills, for libraries that take one (jSPF), so they share
     * it; {@code null} when caching is off (dnsjava then uses a throwaway cache per lookup).
     */
    public Cache cache() {
        return cache;
    }

    private DnsAnswer<List<Record>> lookup(Name name, int type) {
        Lookup lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setHostsFileParser(null);
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                return DnsAnswer.success(List.of(records));
            case Lookup.HOST_NOT_FOUND:
                return DnsAnswer.empty(DnsAnswer.Status.NXDOMAIN, "");
            case Lookup.TYPE_NOT_FOUND:
                return DnsAnswer.empty(DnsAnswer.Status.NO_DATA, "");
            default:
                return DnsAnswer.empty(DnsAnswer.Status.TEMPORARY_FAILURE, failure(lookup.getErrorString()));
        }
    }

    /**
     * dnsjava 3.6 reports a timeout as "network error" (its exception is no longer an
     * InterruptedIOException), so both read as one; the admin reading the log needs to know
     * how long was waited and for whom.
     */
    private String failure(String error) {
        if ("timed out".equals(error) || "network error".equals(error)) {
            return "timed out or unreachable after " + attempts + " tries of " + timeout.toMillis() + "ms querying " + servers;
        }
        return error;
    }

    private static String joined(TXTRecord record) {
        StringBuilder text = new StringBuilder();
        for (byte[] string : record.getStringsAsByteArrays()) {
            text.append(new String(string, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** Without the trailing dot and lower case; the root (a null MX's target) becomes "". */
    private static String host(Name name) {
        return name.equals(Name.root) ? "" : name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static String show(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
