package mailserver.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The fixture's DNS semantics, asked with raw dnsjava messages so nothing is hidden by a cache. */
class TestDnsServerTest {

    private TestDnsServer dns;
    private SimpleResolver client;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        client = new SimpleResolver(dns.address());
        client.setTimeout(Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void answersAuthoritativelyWithTheQuestionAndIdEchoed() throws Exception {
        dns.add("Example.Test", Type.A, "192.0.2.1");

        Message query = query("example.TEST.", Type.A);
        Message response = client.send(query);

        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).singleElement()
                .extracting(Record::rdataToString).isEqualTo("192.0.2.1");
    }

    @Test
    void nxdomainNoDataAndEmptyNonTerminalsCarryAnSoa() throws Exception {
        dns.add("a.b.example.test", Type.A, "192.0.2.1");

        Message missing = client.send(query("nothing.test.", Type.A));
        Message noData = client.send(query("a.b.example.test.", Type.MX));
        Message emptyNonTerminal = client.send(query("b.example.test.", Type.A));

        assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(emptyNonTerminal.getRcode()).isEqualTo(Rcode.NOERROR);
        for (Message negative : List.of(missing, noData, emptyNonTerminal)) {
            assertThat(negative.getSection(Section.ANSWER)).isEmpty();
            assertThat(negative.getSection(Section.AUTHORITY)).singleElement()
                    .extracting(Record::getType).isEqualTo(Type.SOA);
        }
    }

    @Test
    void cnamesAreAnsweredAndFollowed() throws Exception {
        dns.add("alias.test", Type.CNAME, "target.test.");
        dns.add("target.test", Type.A, "192.0.2.7");
        dns.add("dangling.test", Type.CNAME, "nowhere.test.");

        Message followed = client.send(query("alias.test.", Type.A));
        Message cnameItself = client.send(query("alias.test.", Type.CNAME));
        Message dangling = client.send(query("dangling.test.", Type.A));

        assertThat(followed.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
        assertThat(cnameItself.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
        assertThat(dangling.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(dangling.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
    }

    @Test
    void wildcardsAnswerOnlyForNamesThatDoNotExist() throws Exception {
        dns.add("*.example.test", Type.TXT, "\"wild\"");
        dns.add("real.example.test", Type.A, "192.0.2.1");
        dns.add("x.sub.example.test", Type.A, "192.0.2.2");

        Message synthesized = client.send(query("anything.example.test.", Type.TXT));
        Message deeper = client.send(query("a.b.example.test.", Type.TXT));
        Message existing = client.send(query("real.example.test.", Type.TXT));
        Message belowAnExistingName = client.send(query("y.sub.example.test.", Type.TXT));

        assertThat(synthesized.getSection(Section.ANSWER)).singleElement().satisfies(record -> {
            assertThat(record.getName()).isEqualTo(Name.fromString("anything.example.test."));
            assertThat(record.rdataToString()).isEqualTo("\"wild\"");
        });
        assertThat(deeper.getSection(Section.ANSWER)).hasSize(1);
        assertThat(existing.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(existing.getSection(Section.ANSWER)).isEmpty();
        assertThat(belowAnExistingName.getRcode()).as("closest encloser sub.example.test has no *").isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void longTextIsSplitIntoCharacterStringsAndTruncatedOverPlainUdp() throws Exception {
        String text = "p=" + "K".repeat(600);
        dns.addTxt("key.test", text);
        client.setEDNS(-1);
        client.setIgnoreTruncation(true);

        Message plain = client.send(query("key.test.", Type.TXT));
        client.setIgnoreTruncation(false);
        Message viaTcp = client.send(query("key.test.", Type.TXT));

        assertThat(plain.getHeader().getFlag(Flags.TC)).as("602 bytes do not fit 512 without EDNS").isTrue();
        TXTRecord txt = (TXTRecord) viaTcp.getSection(Section.ANSWER).get(0);
        assertThat(txt.getStrings()).extracting(String::length).containsExactly(255, 255, 92);
        assertThat(String.join("", txt.getStrings())).isEqualTo(text);
        assertThat(dns.queries()).extracting(TestDnsServer.Query::tcp).containsExactly(false, false, true);
    }

    @Test
    void edns0PayloadLetsALongerAnswerThroughUdp() throws Exception {
        dns.addTxt("key.test", "p=" + "K".repeat(600));
        client.setEDNS(0, DnsResolver.EDNS_PAYLOAD, 0, List.of());

        Message response = client.send(query("key.test.", Type.TXT));

        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getOPT()).isNotNull();
        assertThat(dns.queries()).extracting(TestDnsServer.Query::tcp).containsExactly(false);
    }

    @Test
    void failuresAreInjectedPerNameAndRemovedWithIt() throws Exception {
        dns.add("broken.test", Type.A, "192.0.2.1");
        dns.servfail("broken.test");
        dns.timeout("silent.test");

        assertThat(client.send(query("broken.test.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThatThrownBy(() -> client.send(query("silent.test.", Type.A))).isInstanceOf(IOException.class);

        dns.remove("broken.test");
        assertThat(client.send(query("broken.test.", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void clearEmptiesTheZoneButKeepsTheQueryLog() throws Exception {
        dns.add("example.test", Type.A, "192.0.2.1");
        client.send(query("example.test.", Type.A));

        dns.clear();

        assertThat(client.send(query("example.test.", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(dns.queries()).containsExactly(
                new TestDnsServer.Query("example.test", Type.A, false),
                new TestDnsServer.Query("example.test", Type.A, false));
    }

    @Test
    void badRdataIsRefusedWhenAdded() {
        assertThatThrownBy(() -> dns.add("example.test", Type.A, "not-an-address"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad A rdata for example.test");
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }
}
