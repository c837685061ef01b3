package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import mailserver.core.config.ChecksConfig.DmarcMode;
import mailserver.core.config.ChecksConfig.ListenerChecks;
import mailserver.core.config.ChecksConfig.SpfAction;
import mailserver.core.config.ChecksConfig.TemperrorAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksSectionTest {

    @TempDir
    Path folder;

    @Test
    void defaultsRejectSpfFailsAndEnforceDmarcWithTheHostnameAsAuthservId() throws Exception {
        ChecksConfig checks = ConfigFiles.load(folder, "server:\n  hostname: mx.example.org\n").checks();

        assertThat(checks).isEqualTo(new ChecksConfig("mx.example.org", SpfAction.REJECT, TemperrorAction.ACCEPT, true,
                DmarcMode.ENFORCE, List.of(), Map.of()));
        assertThat(checks.forListener("smtp")).isEqualTo(new ListenerChecks(SpfAction.REJECT, TemperrorAction.ACCEPT));
    }

    @Test
    void everyKey() throws Exception {
        ChecksConfig checks = ConfigFiles.load(folder, """
                checks:
                  authserv-id: auth.example.org
                  spf: tag
                  spf-temperror: defer
                  dkim-verify: false
                  dmarc: report-only
                  dmarc-override-domains: [lists.example.net, Forwarder.Example]
                  listeners:
                    smtp: { spf: reject }
                    submission: { spf: off, spf-temperror: accept }
                """).checks();

        assertThat(checks).isEqualTo(new ChecksConfig("auth.example.org", SpfAction.TAG, TemperrorAction.DEFER, false,
                DmarcMode.REPORT_ONLY, List.of("lists.example.net", "forwarder.example"), Map.of(
                        "smtp", new ListenerChecks(SpfAction.REJECT, TemperrorAction.DEFER),
                        "submission", new ListenerChecks(SpfAction.OFF, TemperrorAction.ACCEPT))));
        assertThat(checks.forListener("submissions")).isEqualTo(new ListenerChecks(SpfAction.TAG, TemperrorAction.DEFER));
    }

    @Test
    void problemsNameTheKeyAndLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigFiles.load(folder, """
                checks:
                  spf: block
                  dmarc: on
                  authserv-id: "not a host"
                  dmarc-override-domains: [ok.example, "bad domain"]
                  listeners:
                    pop3: { spf: tag }
                    smtp: { spf-temperor: defer }
                """, Map.of()));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::key, ConfigProblem::line).containsExactlyInAnyOrder(
                tuple("checks.spf", 2),
                tuple("checks.dmarc", 3),
                tuple("checks.authserv-id", 4),
                tuple("checks.dmarc-override-domains", 5),
                tuple("checks.listeners.pop3", 7),
                tuple("checks.listeners.smtp.spf-temperor", 8));
        assertThat(e.problems().get(0).message()).isEqualTo("must be one of off, tag, reject, not 'block'");
    }
}
