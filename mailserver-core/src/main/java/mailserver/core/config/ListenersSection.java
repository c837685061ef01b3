package mailserver.core.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code listeners:} the seven sockets, each with {@code address}, {@code port} and
 * {@code enabled}. Two enabled listeners may not want the same port on overlapping addresses:
 * the second bind would fail at start, so it is a config problem now.
 */
final class ListenersSection {

    static final String NAME = "listeners";
    static final List<String> LISTENER_KEYS = List.of("address", "port", "enabled");
    static final String DEFAULT_ADDRESS = "0.0.0.0";

    /** What each listener name means; the order is {@link ListenersConfig}'s. */
    private record Kind(String name, Protocol protocol, boolean implicitTls, int defaultPort) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("smtp", Protocol.SMTP, false, 25),
            new Kind("submission", Protocol.SMTP, false, 587),
            new Kind("submissions", Protocol.SMTP, true, 465),
            new Kind("imap", Protocol.IMAP, false, 143),
            new Kind("imaps", Protocol.IMAP, true, 993),
            new Kind("pop3", Protocol.POP3, false, 110),
            new Kind("pop3s", Protocol.POP3, true, 995));

    static final List<String> KEYS = KINDS.stream().map(Kind::name).toList();

    /** A bound listener with the section it came from, for placing a conflict in the file. */
    private record Bound(ListenerConfig config, Section section) {
    }

    private ListenersSection() {
    }

    static ListenersConfig bind(Section root) {
        Section listeners = root.section(NAME, KEYS);
        List<Bound> bound = new ArrayList<>();
        for (Kind kind : KINDS) {
            Section section = listeners.section(kind.name(), LISTENER_KEYS);
            ListenerConfig config = new ListenerConfig(kind.name(), kind.protocol(), kind.implicitTls(),
                    section.bool("enabled").orElse(true),
                    section.value("address", HostNames::address).orElse(DEFAULT_ADDRESS),
                    section.integer("port", 1, 65535).orElse(kind.defaultPort()));
            reportConflict(config, section, bound);
            bound.add(new Bound(config, section));
        }
        return new ListenersConfig(bound.get(0).config(), bound.get(1).config(), bound.get(2).config(),
                bound.get(3).config(), bound.get(4).config(), bound.get(5).config(), bound.get(6).config());
    }

    private static void reportConflict(ListenerConfig config, Section section, List<Bound> earlier) {
        if (!config.enabled()) {
            return;
        }
        for (Bound other : earlier) {
            if (other.config().enabled() && overlaps(config, other.config())) {
                String key = section.has("port") || !section.has("address") ? "port" : "address";
                section.problem(key, endpoint(config) + " is already taken by " + other.section().keyPath()
                        + " (" + endpoint(other.config()) + ");"
                        + " give each enabled listener its own port, or set enabled: false on one");
                return;
            }
        }
    }

    /** {@code 0.0.0.0:25}, {@code [::]:25}: brackets keep an IPv6 address apart from its port. */
    private static String endpoint(ListenerConfig listener) {
        String address = listener.address();
        boolean bareIpv6 = address.indexOf(':') >= 0 && !address.startsWith("[");
        return (bareIpv6 ? "[" + address + "]" : address) + ":" + listener.port();
    }

    /** Same port, and the same address or a wildcard on either side (a wildcard takes the port everywhere). */
    private static boolean overlaps(ListenerConfig a, ListenerConfig b) {
        if (a.port() != b.port()) {
            return false;
        }
        Optional<InetAddress> ipA = HostNames.ipLiteral(a.address());
        Optional<InetAddress> ipB = HostNames.ipLiteral(b.address());
        if (ipA.map(InetAddress::isAnyLocalAddress).orElse(false) || ipB.map(InetAddress::isAnyLocalAddress).orElse(false)) {
            return true;
        }
        return comparable(a.address(), ipA).equals(comparable(b.address(), ipB));
    }

    private static String comparable(String address, Optional<InetAddress> ip) {
        return ip.map(InetAddress::getHostAddress).orElse(address.toLowerCase(Locale.ROOT));
    }
}
