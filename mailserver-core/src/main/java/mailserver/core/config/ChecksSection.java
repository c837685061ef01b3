package mailserver.core.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code checks:} SPF, DKIM and DMARC of incoming mail. */
final class ChecksSection {

    static final String NAME = "checks";
    static final List<String> KEYS = List.of(
            "authserv-id", "spf", "spf-temperror", "dkim-verify", "dmarc", "dmarc-override-domains", "listeners");
    static final List<String> LISTENERS = List.of("smtp", "submission", "submissions");
    static final List<String> LISTENER_KEYS = List.of("spf", "spf-temperror");

    /** As policyd-spf's defaults: a fail is refused, a temperror accepted. */
    static final ChecksConfig.SpfAction DEFAULT_SPF = ChecksConfig.SpfAction.REJECT;
    static final ChecksConfig.TemperrorAction DEFAULT_SPF_TEMPERROR = ChecksConfig.TemperrorAction.ACCEPT;
    static final ChecksConfig.DmarcMode DEFAULT_DMARC = ChecksConfig.DmarcMode.ENFORCE;

    private ChecksSection() {
    }

    /** @param hostname the server's name, the default authserv-id */
    static ChecksConfig bind(Section root, String hostname) {
        Section checks = root.section(NAME, KEYS);
        ChecksConfig.SpfAction spf = checks.value("spf", text -> keyword(text, ChecksConfig.SpfAction.class)).orElse(DEFAULT_SPF);
        ChecksConfig.TemperrorAction temperror = checks.value("spf-temperror",
                text -> keyword(text, ChecksConfig.TemperrorAction.class)).orElse(DEFAULT_SPF_TEMPERROR);
        Section listenerSection = checks.section("listeners", LISTENERS);
        Map<String, ChecksConfig.ListenerChecks> listeners = new LinkedHashMap<>();
        for (String name : LISTENERS) {
            if (listenerSection.has(name)) {
                Section listener = listenerSection.section(name, LISTENER_KEYS);
                listeners.put(name, new ChecksConfig.ListenerChecks(
                        listener.value("spf", text -> keyword(text, ChecksConfig.SpfAction.class)).orElse(spf),
                        listener.value("spf-temperror", text -> keyword(text, ChecksConfig.TemperrorAction.class))
                                .orElse(temperror)));
            }
        }
        return new ChecksConfig(
                checks.value("authserv-id", HostNames::hostname).orElse(hostname),
                spf,
                temperror,
                checks.bool("dkim-verify").orElse(true),
                checks.value("dmarc", text -> keyword(text, ChecksConfig.DmarcMode.class)).orElse(DEFAULT_DMARC),
                checks.list("dmarc-override-domains", ChecksSection::domain).orElse(List.of()),
                listeners);
    }

    /** {@code report-only} for REPORT_ONLY, and so on; the error names every allowed word. */
    private static <E extends Enum<E>> E keyword(String text, Class<E> type) throws InvalidValueException {
        String wanted = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(wanted)) {
                return value;
            }
        }
        throw new InvalidValueException("must be one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList())
                + ", not " + InvalidValueException.shown(text));
    }

    /** A domain name (A-labels for IDNs), lower-cased as the checks compare them. */
    private static String domain(String text) throws InvalidValueException {
        return HostNames.hostname(text.strip()).toLowerCase(Locale.ROOT);
    }
}
