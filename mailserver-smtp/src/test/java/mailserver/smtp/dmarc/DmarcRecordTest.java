package mailserver.smtp.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DmarcRecordTest {

    @Test
    void readsEveryTag() throws Exception {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=reject; sp=quarantine; pct=25; adkim=s; aspf=s;"
                + " rua=mailto:agg@example.org,mailto:other@example.net!10m; ruf=mailto:f@example.org; fo=1; ri=3600");
        assertThat(record).isEqualTo(new DmarcRecord(DmarcPolicy.REJECT, Optional.of(DmarcPolicy.QUARANTINE), 25, true, true,
                List.of("mailto:agg@example.org", "mailto:other@example.net!10m"), List.of("mailto:f@example.org")));
    }

    @Test
    void defaultsAreRelaxedFullAndTheDomainPolicyForSubdomains() throws Exception {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1;p=Quarantine");
        assertThat(record.percent()).isEqualTo(100);
        assertThat(record.strictDkim()).isFalse();
        assertThat(record.strictSpf()).isFalse();
        assertThat(record.policyFor(true)).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(record.policyFor(false)).isEqualTo(DmarcPolicy.QUARANTINE);
    }

    @Test
    void subdomainPolicyOnlyForSubdomains() throws Exception {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=reject; sp=none");
        assertThat(record.policyFor(false)).isEqualTo(DmarcPolicy.REJECT);
        assertThat(record.policyFor(true)).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void onlyRecordsThatStartWithTheVersionAreDmarcRecords() {
        assertThat(DmarcRecord.isDmarc("v=DMARC1; p=none")).isTrue();
        assertThat(DmarcRecord.isDmarc(" v = DMARC1 ;p=none")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=DMARC1")).isTrue();
        assertThat(DmarcRecord.isDmarc("p=none; v=DMARC1")).isFalse();
        assertThat(DmarcRecord.isDmarc("v=DMARC10; p=none")).isFalse();
        assertThat(DmarcRecord.isDmarc("v=spf1 -all")).isFalse();
    }

    @Test
    void aMissingOrBadPolicyMakesTheRecordInvalid() {
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1")).hasMessage("no p= tag");
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; p=block")).hasMessage("invalid p=block");
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; p=reject; sp=drop")).hasMessage("invalid sp=drop");
    }

    @Test
    void aBadPolicyWithAReportAddressCountsAsNone() throws Exception {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=block; rua=mailto:d@example.org");
        assertThat(record.policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(record.subdomainPolicy()).isEmpty();
    }

    @Test
    void badOptionalValuesFallBackToTheirDefaults() throws Exception {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=reject; pct=150; adkim=x; aspf=; rua=not a uri");
        assertThat(record.percent()).isEqualTo(100);
        assertThat(record.strictDkim()).isFalse();
        assertThat(record.aggregateReports()).isEmpty();
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; pct=0").percent()).isZero();
    }
}
