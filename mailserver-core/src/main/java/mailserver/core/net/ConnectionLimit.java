package mailserver.core.net;

/** The limit a refused connection ran into. */
public enum ConnectionLimit {
    /** All connections to this listener. */
    LISTENER_TOTAL,
    /** Connections to this listener from one remote IP address. */
    PER_IP
}
