package mailserver.core.net;

import java.util.Objects;

import mailserver.core.config.ListenerConfig;

/** A listener from the config, the protocol it serves, and its limits. */
public record Binding(ListenerConfig listener, ProtocolHandler protocol, ListenerLimits limits) {

    public Binding {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limits, "limits");
    }
}
