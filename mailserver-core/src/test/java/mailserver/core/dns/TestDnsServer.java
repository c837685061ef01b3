package mailserver.core.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A loopback DNS server for tests: UDP and TCP on the same ephemeral port of 127.0.0.1,
 * answering authoritatively from an in-memory zone that the test edits while it runs. Point
 * a {@link DnsResolver} at {@link #address()} and the real resolver path runs (EDNS0,
 * truncation and TCP fallback, CNAMEs, negative answers with an SOA for negative caching).
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.add("example.test", Type.MX, "10 mx.example.test.");
 *     dns.add("mx.example.test", Type.A, "127.0.0.2");
 *     dns.addTxt("sel._domainkey.example.test", "v=DKIM1; k=rsa; p=...");
 *     dns.servfail("broken.test");
 *     ...
 * }
 * }</pre>
 *
 * Names are case-insensitive and taken as absolute (a trailing dot is optional). Wildcards
 * ({@code *.example.test}) follow RFC 4592: they answer for names that do not exist, below
 * the closest existing ancestor. Every record has the TTL {@link #TTL}.
 */
public final class TestDnsServer implements AutoCloseable {

    public static final long TTL = 60;

    /** One question the server received. */
    public record Query(String name, int type, boolean tcp) {
    }

    private enum Failure { SERVFAIL, TIMEOUT }

    private static final int PLAIN_UDP_PAYLOAD = 512;
    private static final int MAX_CNAME_CHAIN = 8;
    private static final SOARecord SOA = soa();

    private final Map<Name, List<Record>> zone = new HashMap<>();
    private final Map<Name, Failure> failures = new ConcurrentHashMap<>();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        threads.add(daemon("test-dns-udp", this::serveUdp));
        threads.add(daemon("test-dns-tcp", this::acceptTcp));
    }

    /** Binds UDP and TCP to one free port of 127.0.0.1 and starts answering. */
    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        BindException last = null;
        // The free UDP port may be taken for TCP by another process: try a few ports.
        for (int attempt = 0; attempt < 20; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
                } catch (BindException e) {
                    tcp.close();
                    throw e;
                }
                return new TestDnsServer(udp, tcp);
            } catch (BindException e) {
                udp.close();
                last = e;
            }
        }
        throw last;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** Adds one record in zone-file syntax, e.g. {@code add("example.test", Type.MX, "10 mx.example.test.")}. */
    public void add(String name, int type, String rdata) {
        try {
            put(Record.fromString(name(name), type, DClass.IN, TTL, rdata, Name.root));
        } catch (IOException e) {
            throw new IllegalArgumentException("bad " + Type.string(type) + " rdata for " + name + ": " + rdata, e);
        }
    }

    /** Adds a TXT record holding {@code text}, split into character-strings of at most 255 bytes as DNS requires. */
    public void addTxt(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < bytes.length; start += 255) {
            strings.add(new String(bytes, start, Math.min(255, bytes.length - start), StandardCharsets.UTF_8));
        }
        if (strings.isEmpty()) {
            strings.add("");
        }
        put(new TXTRecord(name(name), DClass.IN, TTL, strings));
    }

    /** Removes every record of {@code name} and any failure injected for it. */
    public void remove(String name) {
        Name key = name(name);
        synchronized (zone) {
            zone.remove(key);
        }
        failures.remove(key);
    }

    /** Removes every record and every injected failure; the query log stays. */
    public void clear() {
        synchronized (zone) {
            zone.clear();
        }
        failures.clear();
    }

    /** Questions for {@code name} answer SERVFAIL from now on. */
    public void servfail(String name) {
        failures.put(name(name), Failure.SERVFAIL);
    }

    /** Questions for {@code name} are dropped from now on, so the client times out. */
    public void timeout(String name) {
        failures.put(name(name), Failure.TIMEOUT);
    }

    /** Every question received so far, in order, names lower case without the trailing dot. */
    public List<Query> queries() {
        return List.copyOf(queries);
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Socket connection : connections) {
            closeQuietly(connection);
        }
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void put(Record record) {
        synchronized (zone) {
            zone.computeIfAbsent(record.getName(), key -> new ArrayList<>()).add(record);
        }
    }

    private void serveUdp() {
        byte[] buffer = new byte[65_535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query, false);
                if (response != null) {
                    OPTRecord opt = query.getOPT();
                    int limit = opt == null ? PLAIN_UDP_PAYLOAD : Math.max(PLAIN_UDP_PAYLOAD, opt.getPayloadSize());
                    // Sets TC and leaves out whole RRsets that do not fit, as a real server does.
                    byte[] wire = response.toWire(limit);
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
                // A malformed datagram: a real server drops it too.
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket connection = tcp.accept();
                connections.add(connection);
                threads.add(daemon("test-dns-tcp-connection", () -> serveTcp(connection)));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveTcp(Socket connection) {
        try (connection) {
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (true) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                Message response = answer(new Message(wire), true);
                if (response != null) {
                    byte[] bytes = response.toWire();
                    out.writeShort(bytes.length);
                    out.write(bytes);
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // the client is done
        } catch (IOException e) {
            // closed by close(), or garbage from the client
        } finally {
            connections.remove(connection);
        }
    }

    /** The response to {@code query}, or {@code null} to drop it. */
    private Message answer(Message query, boolean overTcp) {
        Record question = query.getQuestion();
        if (question == null) {
            return null;
        }
        queries.add(new Query(text(question.getName()), question.getType(), overTcp));
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            response.addRecord(new OPTRecord(DnsResolver.EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        Failure failure = failures.get(question.getName());
        if (failure == Failure.TIMEOUT) {
            return null;
        }
        if (failure == Failure.SERVFAIL) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        synchronized (zone) {
            resolve(question.getName(), question.getType(), response, 0);
        }
        return response;
    }

    private void resolve(Name name, int type, Message response, int depth) {
        List<Record> records = recordsAt(name);
        if (records == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(SOA, Section.AUTHORITY);
            return;
        }
        List<Record> matching = records.stream().filter(record -> record.getType() == type).toList();
        if (!matching.isEmpty()) {
            matching.forEach(record -> response.addRecord(record, Section.ANSWER));
            return;
        }
        Record cname = records.stream().filter(record -> record.getType() == Type.CNAME).findFirst().orElse(null);
        if (cname == null) {
            response.addRecord(SOA, Section.AUTHORITY);
            return;
        }
        response.addRecord(cname, Section.ANSWER);
        // Every name is in this server's zone, so the chain is followed to its end (RFC 6604:
        // the RCODE is the last name's).
        if (depth < MAX_CNAME_CHAIN) {
            resolve(((CNAMERecord) cname).getTarget(), type, response, depth + 1);
        }
    }

    /**
     * The records at {@code name}, synthesized from a wildcard when the name does not exist;
     * empty for an existing name without records (an empty non-terminal); {@code null} when
     * the name does not exist.
     */
    private List<Record> recordsAt(Name name) {
        List<Record> records = zone.get(name);
        if (records != null) {
            return records;
        }
        if (exists(name)) {
            return List.of();
        }
        for (Name ancestor = parent(name); ancestor != null; ancestor = parent(ancestor)) {
            if (exists(ancestor)) {
                List<Record> wildcard = zone.get(wildcard(ancestor));
                return wildcard == null ? null : wildcard.stream().map(record -> record.withName(name)).toList();
            }
        }
        return null;
    }

    /** Whether {@code name} has records or names below it (RFC 4592's "exists"). */
    private boolean exists(Name name) {
        return zone.keySet().stream().anyMatch(defined -> defined.subdomain(name));
    }

    private static Name parent(Name name) {
        return name.labels() <= 1 ? null : new Name(name, 1);
    }

    private static Name wildcard(Name parent) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), parent);
        } catch (NameTooLongException e) {
            return parent;
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + text, e);
        }
    }

    private static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static SOARecord soa() {
        // Owned by the root so it is an ancestor of every name, as dnsjava's negative cache requires.
        return new SOARecord(Name.root, DClass.IN, TTL, name("ns.test"), name("hostmaster.test"),
                1, 3600, 600, 86_400, TTL);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
