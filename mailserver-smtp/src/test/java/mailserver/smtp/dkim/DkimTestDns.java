package mailserver.smtp.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import mailserver.core.config.DnsConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;

/** A loopback DNS server for key records and a verifier that asks it, as the server would. */
final class DkimTestDns implements AutoCloseable {

    /** Short, so the timeout case stays quick. */
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final TestDnsServer server;
    private final DnsResolver resolver;

    private DkimTestDns(TestDnsServer server) {
        this.server = server;
        this.resolver = new DnsResolver(new DnsConfig(List.of(server.address()), TIMEOUT, 0, false));
    }

    static DkimTestDns start() {
        try {
            return new DkimTestDns(TestDnsServer.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestDnsServer server() {
        return server;
    }

    /** Publishes {@code record} at {@code <selector>._domainkey.<domain>}, replacing what was there. */
    void publish(String selector, String domain, String record) {
        server.remove(selector + "._domainkey." + domain);
        server.addTxt(selector + "._domainkey." + domain, record);
    }

    DkimVerifier verifier() {
        return new DkimVerifier(resolver);
    }

    DkimVerifier verifier(Clock clock) {
        return new DkimVerifier(resolver::txt, clock);
    }

    /** Writes {@code message} to a file in {@code dir} and verifies it. */
    static List<DkimResult> verify(DkimVerifier verifier, Path dir, byte[] message) {
        try {
            Path file = Files.createTempFile(dir, "msg", ".eml");
            Files.write(file, message);
            return verifier.verify(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} with every LF made CRLF, as messages are on our disk. */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
