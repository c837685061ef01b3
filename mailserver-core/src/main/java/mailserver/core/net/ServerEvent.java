package mailserver.core.net;

/** Server-wide events fired into every open connection's pipeline. */
public enum ServerEvent {
    /** A graceful shutdown began: finish or refuse the current command, say goodbye, close. */
    SHUTTING_DOWN
}
