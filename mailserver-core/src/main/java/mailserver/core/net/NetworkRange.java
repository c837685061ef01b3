package mailserver.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}; a
 * bare address is a /32 or /128), as in Postfix's {@code mynetworks}.
 *
 * @param network      the address with the host bits cleared
 * @param prefixLength leading bits that must match
 */
public record NetworkRange(InetAddress network, int prefixLength) {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    public NetworkRange {
        Objects.requireNonNull(network);
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + bits);
        }
        network = byAddress(mask(network.getAddress(), prefixLength));
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code cidr} */
    public static NetworkRange parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        // Only hex digits, ':' and '.', so InetAddress parses a literal and never asks DNS.
        if (!LITERAL.matcher(address).matches()) {
            throw new IllegalArgumentException("not an IP network: " + cidr);
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP network: " + cidr);
        }
        int bits = parsed.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        return new NetworkRange(parsed, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = unmapped(address).getAddress();
        if (bytes.length != network.getAddress().length) {
            return false;
        }
        return Arrays.equals(mask(bytes, prefixLength), network.getAddress());
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    /** {@code ::ffff:192.0.2.1} (an IPv4 client on a dual-stack socket) as the IPv4 address it is. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isV4Mapped(b)) {
            return byAddress(Arrays.copyOfRange(b, 12, 16));
        }
        return address;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }
}
