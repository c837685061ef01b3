package mailserver.smtp.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import mailserver.smtp.spf.SpfResult.Result;
import org.junit.jupiter.api.Test;

/** The Received-SPF header field (RFC 7208 9.1). */
class SpfResultTest {

    @Test
    void passNamesTheClientTheSenderAndTheReceiver() throws Exception {
        SpfResult pass = new SpfResult(Result.PASS, "mailfrom", "b.example", "a@b.example", null, null);

        assertThat(pass.receivedSpfHeader("mx.example.org", InetAddress.getByName("192.0.2.1"), "h.example"))
                .isEqualTo("Received-SPF: pass (mx.example.org: domain of a@b.example designates 192.0.2.1 as permitted sender)"
                        + " client-ip=192.0.2.1; envelope-from=\"a@b.example\"; helo=h.example; receiver=mx.example.org;"
                        + " identity=mailfrom;");
    }

    @Test
    void eachResultHasTheRfcWording() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");

        assertThat(header(Result.FAIL, null, client)).startsWith(
                "Received-SPF: fail (mx.example.org: domain of a@b.example does not designate 192.0.2.1 as permitted sender) ");
        assertThat(header(Result.SOFTFAIL, null, client)).startsWith(
                "Received-SPF: softfail (mx.example.org: domain of transitioning a@b.example does not designate 192.0.2.1 as permitted sender) ");
        assertThat(header(Result.NEUTRAL, null, client)).startsWith(
                "Received-SPF: neutral (mx.example.org: 192.0.2.1 is neither permitted nor denied by domain of a@b.example) ");
        assertThat(header(Result.NONE, null, client)).startsWith(
                "Received-SPF: none (mx.example.org: domain of a@b.example does not designate permitted sender hosts) ");
    }

    @Test
    void errorsCarryTheProblem() throws Exception {
        String header = header(Result.TEMPERROR, "DNS TXT lookup of b.example: timed out", InetAddress.getByName("192.0.2.1"));

        assertThat(header).isEqualTo("Received-SPF: temperror (mx.example.org: error in processing during lookup of a@b.example:"
                + " DNS TXT lookup of b.example: timed out) client-ip=192.0.2.1; envelope-from=\"a@b.example\"; helo=h.example;"
                + " problem=\"DNS TXT lookup of b.example: timed out\"; receiver=mx.example.org; identity=mailfrom;");
        assertThat(header(Result.PERMERROR, "more than 10 DNS lookups", InetAddress.getByName("192.0.2.1")))
                .startsWith("Received-SPF: permerror (mx.example.org: permanent error in processing domain of a@b.example:"
                        + " more than 10 DNS lookups) ");
    }

    @Test
    void theHeloIdentityHasTheNullSenderAsEnvelopeFrom() throws Exception {
        SpfResult helo = new SpfResult(Result.PASS, "helo", "h.example", "postmaster@h.example", null, null);

        assertThat(helo.receivedSpfHeader("mx.example.org", InetAddress.getByName("192.0.2.1"), "h.example"))
                .isEqualTo("Received-SPF: pass (mx.example.org: domain of postmaster@h.example designates 192.0.2.1 as permitted sender)"
                        + " client-ip=192.0.2.1; envelope-from=\"\"; helo=h.example; receiver=mx.example.org; identity=helo;");
    }

    @Test
    void valuesThatAreNoDotAtomAreQuoted() throws Exception {
        SpfResult pass = new SpfResult(Result.PASS, "mailfrom", "b.example", "a@b.example", null, null);

        // ':' and '[' are not atext: an IPv6 address and an address literal need quotes.
        assertThat(pass.receivedSpfHeader("mx.example.org", InetAddress.getByName("2001:db8:0:0:0:0:0:1"), "[192.0.2.1]"))
                .contains(" client-ip=\"2001:db8::1\"; ")
                .contains(" helo=\"[192.0.2.1]\"; ");
    }

    @Test
    void theClientsWordsCannotBreakTheHeader() throws Exception {
        SpfResult pass = new SpfResult(Result.NEUTRAL, "mailfrom", "b.example", "\"a)\\b\"@b.example", null, null);

        String header = pass.receivedSpfHeader("mx.example.org", InetAddress.getByName("192.0.2.1"), "evil\r\nX-Injected: yes");

        assertThat(header).doesNotContain("\r").doesNotContain("\n")
                .contains("domain of \"a\\)\\\\b\"@b.example)")
                .contains("envelope-from=\"\\\"a)\\\\b\\\"@b.example\";")
                .contains("helo=\"evil??X-Injected: yes\";");
    }

    private static String header(Result result, String problem, InetAddress client) {
        return new SpfResult(result, "mailfrom", "b.example", "a@b.example", null, problem)
                .receivedSpfHeader("mx.example.org", client, "h.example");
    }
}
