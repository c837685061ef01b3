package mailserver.smtp.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import mailserver.core.config.DnsConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The openspf.org RFC 7208 test suite (release 2014.04), as Debian's python3-spf ships it,
 * run against {@link SpfVerifier}: each scenario's zone is served by the loopback DNS server
 * and each test case is one dynamic test that checks the result (one of the acceptable ones)
 * and, where given, the explanation. The pass count is printed at the end. Every case must
 * pass: there are no known deviations.
 */
class Rfc7208SuiteTest {

    static final Path SUITE = Path.of("/usr/share/doc/python3-spf/rfc7208-tests.yml.gz");

    /** Short, so the temperror cases (a server that never answers) stay quick. */
    private static final Duration DNS_TIMEOUT = Duration.ofMillis(250);

    private static final AtomicInteger RUN = new AtomicInteger();
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final List<String> FAILED = new ArrayList<>();

    private static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws IOException {
        dns = TestDnsServer.start();
    }

    @AfterAll
    static void report() {
        dns.close();
        if (RUN.get() > 0) {
            System.out.printf("RFC 7208 suite: %d of %d passed%s%n", PASSED.get(), RUN.get(),
                    FAILED.isEmpty() ? "" : "; not passed: " + String.join(", ", FAILED));
        }
    }

    @TestFactory
    Stream<DynamicNode> rfc7208Suite() throws IOException {
        boolean present = Files.isReadable(SUITE);
        assumeTrue(present || "true".equals(System.getenv("CI")),
                SUITE + " not found (apt-get install python3-spf): skipping the RFC 7208 suite (CI=true makes this a failure)");
        List<DynamicNode> scenarios = new ArrayList<>();
        for (JsonNode scenario : scenarios()) {
            List<DynamicTest> tests = new ArrayList<>();
            for (Map.Entry<String, JsonNode> testCase : scenario.get("tests").properties()) {
                tests.add(DynamicTest.dynamicTest(testCase.getKey(),
                        () -> run(testCase.getKey(), testCase.getValue(), scenario.get("zonedata"))));
            }
            scenarios.add(DynamicContainer.dynamicContainer(scenario.get("description").asText(), tests));
        }
        assertThat(scenarios).as("scenarios in " + SUITE).isNotEmpty();
        return scenarios.stream();
    }

    private static List<JsonNode> scenarios() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SUITE));
                MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(in)) {
            List<JsonNode> all = new ArrayList<>();
            documents.forEachRemaining(document -> {
                if (document != null && document.has("tests")) {
                    all.add(document);
                }
            });
            return all;
        }
    }

    private static void run(String name, JsonNode testCase, JsonNode zonedata) throws Exception {
        dns.clear();
        SuiteZone zone = SuiteZone.load(zonedata, dns);
        int queriesBefore = dns.queries().size();
        // A resolver per test case: its cache must not carry answers from another scenario's zone.
        DnsResolver resolver = new DnsResolver(new DnsConfig(List.of(dns.address()), DNS_TIMEOUT, 0, true));
        SpfResult result = new SpfVerifier(resolver).check(InetAddress.getByName(testCase.get("host").asText()),
                testCase.get("helo").asText(), testCase.get("mailfrom").asText());

        List<String> problems = new ArrayList<>();
        Set<String> acceptable = acceptable(testCase.get("result"));
        if (!acceptable.contains(result.result().keyword())) {
            problems.add("result " + result.result().keyword() + ", expected " + String.join(" or ", acceptable)
                    + (result.problem() == null ? "" : " (problem: " + result.problem() + ")"));
        }
        JsonNode explanation = testCase.get("explanation");
        if (explanation != null) {
            // "DEFAULT" is the driver's default explanation: the domain gave no exp= text.
            String expected = explanation.asText().equals("DEFAULT") ? null : explanation.asText();
            if (!Objects.equals(expected, result.explanation())) {
                problems.add("explanation " + quote(result.explanation()) + ", expected " + quote(expected));
            }
        }
        List<String> unserved = zone.unservedTimeouts(dns.queries().subList(queriesBefore, dns.queries().size()));
        assertThat(unserved).as("questions the fixture cannot time out by type").isEmpty();

        RUN.incrementAndGet();
        if (!problems.isEmpty()) {
            synchronized (FAILED) {
                FAILED.add(name);
            }
            fail(name + " (" + testCase.path("spec").asText() + "): " + String.join("; ", problems));
        }
        PASSED.incrementAndGet();
    }

    private static Set<String> acceptable(JsonNode result) {
        if (result.isArray()) {
            Set<String> all = new LinkedHashSet<>();
            result.forEach(one -> all.add(one.asText()));
            return all;
        }
        return Set.of(result.asText());
    }

    private static String quote(String text) {
        return text == null ? "none" : '"' + text + '"';
    }
}
