package mailserver.core.config;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/** {@code dns:} the resolver used for MX, SPF, DKIM and DMARC lookups. */
final class DnsSection {

    static final String NAME = "dns";
    static final List<String> KEYS = List.of("servers", "timeout", "retries", "cache");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_RETRIES = 2;

    private static final String EXPECTED = "must be an IP address with an optional port, like 192.0.2.53, "
            + "192.0.2.53:5353, 2001:db8::53 or [2001:db8::53]:5353";
    /** An IPv6 address with a port needs brackets, otherwise its last group would read as the port. */
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::([0-9]{1,5}))?");
    private static final Pattern IPV4 = Pattern.compile("([0-9.]+)(?::([0-9]{1,5}))?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private DnsSection() {
    }

    static DnsConfig bind(Section root) {
        Section dns = root.section(NAME, KEYS);
        return new DnsConfig(
                dns.list("servers", DnsSection::server).orElse(List.of()),
                dns.value("timeout", DnsSection::timeout).orElse(DEFAULT_TIMEOUT),
                dns.integer("retries", 0, 10).orElse(DEFAULT_RETRIES),
                dns.bool("cache").orElse(true));
    }

    private static Duration timeout(String text) throws InvalidValueException {
        Duration timeout = Durations.parse(text);
        if (timeout.isZero()) {
            throw new InvalidValueException("must be longer than 0, e.g. 5s or 500ms");
        }
        return timeout;
    }

    private static InetSocketAddress server(String text) throws InvalidValueException {
        String trimmed = text.strip();
        Matcher bracketed = BRACKETED.matcher(trimmed);
        Matcher ipv4 = IPV4.matcher(trimmed);
        if (bracketed.matches()) {
            return socketAddress(bracketed.group(1), bracketed.group(2), text);
        }
        if (ipv4.matches()) {
            return socketAddress(ipv4.group(1), ipv4.group(2), text);
        }
        if (IPV6.matcher(trimmed).matches()) {
            return socketAddress(trimmed, null, text);
        }
        throw new InvalidValueException(EXPECTED + ", not " + InvalidValueException.shown(text));
    }

    private static InetSocketAddress socketAddress(String host, String port, String text) throws InvalidValueException {
        int number = port == null ? 53 : Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw new InvalidValueException(EXPECTED + " (port 1 to 65535), not " + InvalidValueException.shown(text));
        }
        try {
            // dnsjava's parser takes literals only: a config check never waits on DNS.
            return new InetSocketAddress(Address.getByAddress(host), number);
        } catch (UnknownHostException e) {
            throw new InvalidValueException(EXPECTED + ", not " + InvalidValueException.shown(text));
        }
    }
}
