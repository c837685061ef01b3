package mailserver.smtp.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import mailserver.smtp.dkim.DkimResult;
import mailserver.smtp.dmarc.DmarcPolicy;
import mailserver.smtp.dmarc.DmarcResult;
import mailserver.smtp.spf.SpfResult;
import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {

    private static final SpfResult SPF_PASS = new SpfResult(SpfResult.Result.PASS, "mailfrom", "example.com", "alice@example.com", null, null);

    @Test
    void everyMethodOnItsOwnLine() {
        String field = AuthenticationResults.format("mx.example.org", SPF_PASS, "client.example",
                List.of(new DkimResult(DkimResult.Result.PASS, "example.com", "sel", null, "rsa-sha256", null, "AbCdEfGh"),
                        new DkimResult(DkimResult.Result.FAIL, "example.net", "s2", null, "ed25519-sha256", "body hash did not verify", "x+y/z123")),
                new DmarcResult(DmarcResult.Result.PASS, "example.com", DmarcPolicy.REJECT, DmarcPolicy.NONE, "DKIM d=example.com aligned"));

        assertThat(field).isEqualTo("Authentication-Results: mx.example.org;\r\n"
                + "\tspf=pass smtp.mailfrom=alice@example.com;\r\n"
                + "\tdkim=pass header.d=example.com header.s=sel header.b=AbCdEfGh;\r\n"
                + "\tdkim=fail (body hash did not verify) header.d=example.net header.s=s2 header.b=\"x+y/z123\";\r\n"
                + "\tdmarc=pass (p=reject dis=none) header.from=example.com\r\n");
    }

    @Test
    void heloIdentityUnsignedMessageAndFailureReasons() {
        String field = AuthenticationResults.format("mx.example.org",
                new SpfResult(SpfResult.Result.TEMPERROR, "helo", "client.example", "postmaster@client.example", null,
                        "DNS timeout (client.example)"),
                "client.example", List.of(),
                new DmarcResult(DmarcResult.Result.FAIL, "example.com", DmarcPolicy.QUARANTINE, DmarcPolicy.QUARANTINE,
                        "no aligned SPF or DKIM pass"));

        assertThat(field).isEqualTo("Authentication-Results: mx.example.org;\r\n"
                + "\tspf=temperror (DNS timeout \\(client.example\\)) smtp.helo=client.example;\r\n"
                + "\tdkim=none;\r\n"
                + "\tdmarc=fail (p=quarantine dis=quarantine; no aligned SPF or DKIM pass) header.from=example.com\r\n");
    }

    @Test
    void methodsNotRunAreLeftOutAndForeignTextIsMadeSafe() {
        assertThat(AuthenticationResults.format("mx.example.org", null, "h", null,
                new DmarcResult(DmarcResult.Result.NONE, null, null, DmarcPolicy.NONE, "no From header\r\nX-Evil: 1")))
                .isEqualTo("Authentication-Results: mx.example.org;\r\n\tdmarc=none (no From header??X-Evil: 1)\r\n");
        assertThat(AuthenticationResults.format("mx.example.org",
                new SpfResult(SpfResult.Result.FAIL, "mailfrom", "example.com", "\"odd one\"@example.com", "see (x)", null),
                "h", null, null))
                .isEqualTo("Authentication-Results: mx.example.org;\r\n\tspf=fail (see \\(x\\)) smtp.mailfrom=\"\\\"odd one\\\"@example.com\"\r\n");
        assertThat(AuthenticationResults.format("mx.example.org", null, "h", null, null))
                .isEqualTo("Authentication-Results: mx.example.org; none\r\n");
    }

    @Test
    void readsTheAuthservIdPastBlanksAndComments() {
        assertThat(AuthenticationResults.authservId(" mx.example.org; spf=pass")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId("\r\n\tMX.example.org 1; none")).isEqualTo("MX.example.org");
        assertThat(AuthenticationResults.authservId(" (ours? \\) no) mx.example.org;")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId(" \"mx.example.org\"; dkim=pass")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId("mx.example.org(comment);")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId(" mx.example.org.; dkim=pass")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId(" \"mx.example.org.\"; dkim=pass")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId("  ")).isEmpty();
    }
}
