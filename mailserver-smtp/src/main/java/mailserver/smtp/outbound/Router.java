package mailserver.smtp.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import io.netty.util.NetUtil;
import mailserver.core.config.OutboundConfig;
import mailserver.core.config.OutboundConfig.NextHop;
import mailserver.core.dns.DnsAnswer;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.MxHost;
import mailserver.smtp.outbound.RecipientOutcome.Status;

/**
 * Finds the servers for a destination domain, as Postfix's smtp(8) does: a {@code transports}
 * entry, else the relayhost, else the domain's MX records (RFC 5321 5.1) in preference order,
 * equal preferences in random order, each MX host's A and AAAA addresses; no MX records means
 * the domain's own addresses (implicit MX); a null MX (RFC 7505) means the domain takes no mail.
 * Blocking (DNS), so it runs on a worker thread.
 */
final class Router {

    /** Addresses tried per delivery attempt (Postfix's smtp_mx_address_limit). */
    static final int MAX_ADDRESSES = 5;

    private final OutboundConfig config;
    private final DnsResolver dns;

    Router(OutboundConfig config, DnsResolver dns) {
        this.config = config;
        this.dns = dns;
    }

    Route route(String destination) {
        String domain = destination.toLowerCase(Locale.ROOT);
        NextHop transport = config.transports().get(domain);
        if (transport != null) {
            return configured(transport, config.tls(), null, "outbound.transports." + domain);
        }
        OutboundConfig.Relayhost relayhost = config.relayhost();
        if (relayhost != null) {
            Hop.Login login = relayhost.username().isEmpty() ? null
                    : new Hop.Login(relayhost.username(), relayhost.password(), relayhost.allowPlaintextAuth());
            return configured(relayhost.hop(), relayhost.tls(), login, "outbound.relayhost");
        }
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return addressLiteral(domain);
        }
        return mx(domain, config.port(), config.tls(), null, false);
    }

    /**
     * A next hop the admin named. That it does not exist is a configuration mistake to fix, not
     * a reason to bounce the mail: a missing name defers like a DNS failure.
     */
    private Route configured(NextHop hop, OutboundConfig.TlsPolicy tls, Hop.Login login, String key) {
        if (hop.mxLookup()) {
            return mx(hop.host(), hop.port(), tls, login, true);
        }
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(hop.host());
        if (literal != null) {
            return Route.to(List.of(new Hop(hop.host(), literal, hop.port(), tls, login)));
        }
        DnsAnswer<List<InetAddress>> addresses = dns.addresses(hop.host());
        if (!addresses.isSuccess()) {
            return Route.failed(Status.DEFERRED, "4.4.3", notFound(hop.host(), "A", addresses)
                    + " (the next hop in " + key + ")");
        }
        return Route.to(hops(hop.host(), addresses.value(), hop.port(), tls, login, new LinkedHashSet<>()));
    }

    /** {@code user@[192.0.2.1]} (RFC 5321 4.1.3): that address, no DNS. */
    private Route addressLiteral(String domain) {
        String text = domain.substring(1, domain.length() - 1);
        text = text.regionMatches(true, 0, "IPv6:", 0, 5) ? text.substring(5) : text;
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
        if (address == null) {
            return Route.failed(Status.BOUNCED, "5.1.2", "bad address literal " + domain);
        }
        return Route.to(List.of(new Hop(address.getHostAddress(), address, config.port(), config.tls(), null)));
    }

    private Route mx(String domain, int port, OutboundConfig.TlsPolicy tls, Hop.Login login, boolean configured) {
        DnsAnswer<List<MxHost>> mx = dns.mx(domain);
        switch (mx.status()) {
            case TEMPORARY_FAILURE:
                return Route.failed(Status.DEFERRED, "4.4.3", notFound(domain, "MX", mx));
            case NXDOMAIN:
                return configured ? Route.failed(Status.DEFERRED, "4.4.3", notFound(domain, "MX", mx))
                        : Route.failed(Status.BOUNCED, "5.1.2", notFound(domain, "MX", mx));
            case NO_DATA:
                return implicitMx(domain, port, tls, login, configured);
            default:
                return mxHosts(domain, mx.value(), port, tls, login, configured);
        }
    }

    /** RFC 5321 5.1: without MX records the domain itself is the one MX host. */
    private Route implicitMx(String domain, int port, OutboundConfig.TlsPolicy tls, Hop.Login login, boolean configured) {
        DnsAnswer<List<InetAddress>> addresses = dns.addresses(domain);
        if (addresses.isSuccess()) {
            return Route.to(hops(domain, addresses.value(), port, tls, login, new LinkedHashSet<>()));
        }
        boolean permanent = addresses.status() != DnsAnswer.Status.TEMPORARY_FAILURE && !configured;
        return permanent ? Route.failed(Status.BOUNCED, "5.4.4", notFound(domain, "A", addresses))
                : Route.failed(Status.DEFERRED, "4.4.3", notFound(domain, "A", addresses));
    }

    private Route mxHosts(String domain, List<MxHost> records, int port, OutboundConfig.TlsPolicy tls,
                          Hop.Login login, boolean configured) {
        // RFC 7505 3: a null MX is the domain's only MX record; a "." among real hosts is ignored.
        if (records.size() == 1 && records.get(0).isNullMx()) {
            return Route.failed(Status.BOUNCED, "5.1.10", "Domain " + domain + " does not accept mail (nullMX)");
        }
        Set<InetAddress> seen = new LinkedHashSet<>();
        List<Hop> hops = new ArrayList<>();
        DnsAnswer<List<InetAddress>> lastFailure = null;
        String failedHost = null;
        boolean temporary = false;
        for (String host : preferenceOrder(records)) {
            if (hops.size() >= MAX_ADDRESSES) {
                break;
            }
            DnsAnswer<List<InetAddress>> addresses = dns.addresses(host);
            if (addresses.isSuccess()) {
                hops.addAll(hops(host, addresses.value(), port, tls, login, seen));
            } else {
                lastFailure = addresses;
                failedHost = host;
                temporary |= addresses.status() == DnsAnswer.Status.TEMPORARY_FAILURE;
            }
        }
        if (!hops.isEmpty()) {
            return Route.to(hops.subList(0, Math.min(hops.size(), MAX_ADDRESSES)));
        }
        String why = notFound(failedHost, "A", lastFailure) + " (MX host of " + domain + ")";
        return temporary || configured ? Route.failed(Status.DEFERRED, "4.4.3", why)
                : Route.failed(Status.BOUNCED, "5.4.4", why);
    }

    /** Lowest preference first; hosts of equal preference shuffled, so they share the load (RFC 5321 5.1). */
    private static List<String> preferenceOrder(List<MxHost> records) {
        List<MxHost> real = new ArrayList<>(records.stream().filter(mx -> !mx.isNullMx()).toList());
        Collections.shuffle(real, ThreadLocalRandom.current());
        real.sort((a, b) -> Integer.compare(a.preference(), b.preference()));
        return real.stream().map(MxHost::host).distinct().toList();
    }

    private static List<Hop> hops(String host, List<InetAddress> addresses, int port, OutboundConfig.TlsPolicy tls,
                                  Hop.Login login, Set<InetAddress> seen) {
        List<Hop> hops = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (seen.add(address)) {
                hops.add(new Hop(host, address, port, tls, login));
            }
        }
        return hops;
    }

    /** Postfix's wording, which admins search for. */
    private static String notFound(String name, String type, DnsAnswer<?> answer) {
        String reason = switch (answer.status()) {
            case NXDOMAIN -> "Host not found";
            case NO_DATA -> "Host found but no data record of requested type";
            default -> "Host not found, try again" + (answer.error().isEmpty() ? "" : " (" + answer.error() + ")");
        };
        return "Host or domain name not found. Name service error for name=" + name + " type=" + type + ": " + reason;
    }
}
