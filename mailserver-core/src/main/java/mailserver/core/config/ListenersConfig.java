package mailserver.core.config;

import java.util.List;

/** The seven listeners, by the names the YAML file uses. */
public record ListenersConfig(
        ListenerConfig smtp,
        ListenerConfig submission,
        ListenerConfig submissions,
        ListenerConfig imap,
        ListenerConfig imaps,
        ListenerConfig pop3,
        ListenerConfig pop3s) {

    public List<ListenerConfig> all() {
        return List.of(smtp, submission, submissions, imap, imaps, pop3, pop3s);
    }

    public List<ListenerConfig> enabled() {
        return all().stream().filter(ListenerConfig::enabled).toList();
    }
}
