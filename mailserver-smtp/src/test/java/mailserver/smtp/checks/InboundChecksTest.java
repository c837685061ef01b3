package mailserver.smtp.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import mailserver.core.config.ChecksConfig;
import mailserver.core.config.ChecksConfig.DmarcMode;
import mailserver.core.config.ChecksConfig.ListenerChecks;
import mailserver.core.config.ChecksConfig.SpfAction;
import mailserver.core.config.ChecksConfig.TemperrorAction;
import mailserver.core.config.DnsConfig;
import mailserver.core.dns.DnsResolver;
import mailserver.core.dns.TestDnsServer;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.session.MessageChecks.CheckVerdict;
import mailserver.smtp.session.MessageChecks.TransactionChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each setting of the checks: section does to a message, without SMTP around it. */
class InboundChecksTest {

    private static final String RECEIVED = "Received: from client.example (unknown [192.0.2.1])\r\n\tby mx.example.org (mailserver) with ESMTP id 1A; Tue, 3 Jun 2025 10:00:00 +0000\r\n";
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 40000);

    private static TestDnsServer dns;
    private static DnsResolver resolver;

    @TempDir
    Path folder;

    @BeforeAll
    static void zone() throws Exception {
        dns = TestDnsServer.start();
        dns.addTxt("pass.example", "v=spf1 ip4:192.0.2.1 -all");
        dns.addTxt("_dmarc.pass.example", "v=DMARC1; p=reject");
        dns.addTxt("fail.example", "v=spf1 -all");
        dns.addTxt("_dmarc.fail.example", "v=DMARC1; p=reject");
        dns.servfail("broken.example");
        resolver = new DnsResolver(new DnsConfig(List.of(dns.address()), Duration.ofMillis(300), 0, false));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    private static InboundChecks checks(SpfAction spf, TemperrorAction temperror, boolean dkim, DmarcMode dmarc,
            List<String> overrides, Map<String, ListenerChecks> listeners) {
        return InboundChecks.create(new ChecksConfig("mx.example.org", spf, temperror, dkim, dmarc, overrides, listeners),
                "mx.example.org", resolver);
    }

    private static InboundChecks enforcing() {
        return checks(SpfAction.TAG, TemperrorAction.ACCEPT, true, DmarcMode.ENFORCE, List.of(), Map.of());
    }

    private Path message(String header) throws Exception {
        return Files.writeString(Files.createTempFile(folder, "msg-", ".eml"), RECEIVED + header + "\r\nbody\r\n");
    }

    private static TransactionChecks begin(InboundChecks checks, String listener, String sender) {
        return checks.begin(listener, CLIENT, "client.example", Optional.ofNullable(sender).map(MailAddress::parse));
    }

    @Test
    void spfRejectAndDeferFollowTheListenersPolicy() {
        InboundChecks checks = checks(SpfAction.TAG, TemperrorAction.ACCEPT, true, DmarcMode.ENFORCE, List.of(),
                Map.of("smtp", new ListenerChecks(SpfAction.REJECT, TemperrorAction.DEFER)));

        assertThat(begin(checks, "smtp", "a@fail.example").refusal().summary())
                .isEqualTo("550 5.7.23 Message rejected due to SPF fail: fail.example does not allow 192.0.2.1 to send its mail");
        assertThat(begin(checks, "smtp", "a@broken.example").refusal().summary()).startsWith("451 4.7.24 ");
        assertThat(begin(checks, "smtp", "a@pass.example").refusal()).isNull();
        assertThat(begin(checks, "submission", "a@fail.example").refusal()).as("tag only").isNull();
        assertThat(begin(checks, "submission", "a@broken.example").refusal()).as("accept").isNull();
        assertThat(begin(checks, "submission", "a@fail.example").log()).isEqualTo("spf=fail");
    }

    @Test
    void nothingToCheckMeansNoTransaction() {
        assertThat(begin(checks(SpfAction.OFF, TemperrorAction.ACCEPT, false, DmarcMode.OFF, List.of(), Map.of()),
                "smtp", "a@fail.example")).isNull();
    }

    @Test
    void dmarcRejectQuarantineAndTheirExemptions() throws Exception {
        String failing = "From: ceo@fail.example\r\n";

        CheckVerdict enforced = begin(enforcing(), "smtp", "a@pass.example").endOfData("Q1", message(failing));
        assertThat(enforced.refusal().summary()).isEqualTo("550 5.7.1 Message rejected per the DMARC policy of fail.example");
        assertThat(enforced.log()).isEqualTo("spf=pass, dkim=none, dmarc=fail (reject)");

        Path reportOnly = message(failing);
        CheckVerdict reported = begin(checks(SpfAction.TAG, TemperrorAction.ACCEPT, true, DmarcMode.REPORT_ONLY, List.of(), Map.of()),
                "smtp", "a@pass.example").endOfData("Q2", reportOnly);
        assertThat(reported.refusal()).isNull();
        assertThat(reported.quarantine()).isFalse();
        assertThat(Files.readString(reportOnly)).contains("\tdmarc=fail (p=reject dis=none; no aligned SPF or DKIM pass for"
                + " fail.example \\(record at _dmarc.fail.example, adkim=r, aspf=r\\); not enforced: report-only) header.from=fail.example\r\n");

        Path overridden = message("From: news@lists.fail.example\r\n");
        CheckVerdict exempt = begin(checks(SpfAction.TAG, TemperrorAction.ACCEPT, true, DmarcMode.ENFORCE,
                List.of("fail.example"), Map.of()), "smtp", "a@pass.example").endOfData("Q3", overridden);
        assertThat(exempt.refusal()).isNull();
        assertThat(Files.readString(overridden)).contains("not enforced: local override) header.from=lists.fail.example");
    }

    @Test
    void offMethodsAreLeftOutOfTheHeaders() throws Exception {
        Path file = message("From: a@pass.example\r\n");
        CheckVerdict verdict = begin(checks(SpfAction.OFF, TemperrorAction.ACCEPT, false, DmarcMode.ENFORCE, List.of(), Map.of()),
                "smtp", "a@pass.example").endOfData("Q4", file);

        assertThat(verdict.refusal().summary()).as("without SPF and DKIM nothing aligns")
                .isEqualTo("550 5.7.1 Message rejected per the DMARC policy of pass.example");
        assertThat(verdict.log()).isEqualTo("dmarc=fail (reject)");

        Path spfOnly = message("From: a@pass.example\r\n");
        begin(checks(SpfAction.TAG, TemperrorAction.ACCEPT, false, DmarcMode.OFF, List.of(), Map.of()), "smtp", "a@pass.example")
                .endOfData("Q5", spfOnly);
        assertThat(Files.readString(spfOnly)).isEqualTo(RECEIVED
                + "Authentication-Results: mx.example.org;\r\n\tspf=pass smtp.mailfrom=a@pass.example\r\n"
                + "Received-SPF: pass (mx.example.org: domain of a@pass.example designates 192.0.2.1 as permitted sender)"
                + " client-ip=192.0.2.1; envelope-from=\"a@pass.example\"; helo=client.example; receiver=mx.example.org;"
                + " identity=mailfrom;\r\n"
                + "From: a@pass.example\r\n\r\nbody\r\n");
    }

    @Test
    void authorProblemsAndDnsTrouble() throws Exception {
        CheckVerdict none = begin(enforcing(), "smtp", "a@pass.example").endOfData("Q6", message("Subject: no author\r\n"));
        assertThat(none.refusal()).isNull();
        assertThat(none.log()).isEqualTo("spf=pass, dkim=none, dmarc=none");

        CheckVerdict two = begin(enforcing(), "smtp", "a@pass.example").endOfData("Q7", message("From: a@pass.example, b@fail.example\r\n"));
        assertThat(two.refusal().summary()).isEqualTo("550 5.7.1 Message rejected: 2 addresses in the From header (RFC 5322 3.6.2, RFC 7489 6.6.1)");

        Path broken = message("From: a@broken.example\r\n");
        CheckVerdict temperror = begin(enforcing(), "smtp", "a@broken.example").endOfData("Q8", broken);
        assertThat(temperror.refusal()).isNull();
        assertThat(temperror.log()).isEqualTo("spf=temperror, dkim=none, dmarc=none");
        assertThat(Files.readString(broken)).contains("\tspf=temperror (");
    }

    @Test
    void theNullSenderIsCheckedByItsHeloName() throws Exception {
        dns.addTxt("client.example", "v=spf1 ip4:192.0.2.1 -all");
        Path file = message("From: mailer-daemon@client.example\r\n");
        begin(enforcing(), "smtp", null).endOfData("Q9", file);
        assertThat(Files.readString(file)).contains("\tspf=pass smtp.helo=client.example;\r\n", "identity=helo;");
    }

    @Test
    void aBounceAlignsThroughTheSpfPassOfItsHeloName() throws Exception {
        dns.addTxt("bounce.example", "v=spf1 ip4:192.0.2.1 -all");
        dns.addTxt("_dmarc.bounce.example", "v=DMARC1; p=reject");
        Path file = message("From: MAILER-DAEMON@bounce.example\r\n");
        CheckVerdict verdict = enforcing().begin("smtp", CLIENT, "bounce.example", Optional.empty()).endOfData("Q10", file);
        assertThat(verdict.refusal()).isNull();
        assertThat(verdict.log()).isEqualTo("spf=pass, dkim=none, dmarc=pass");
    }
}
