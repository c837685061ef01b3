package mailserver.imap.session;

/** What the client switched on during the session (ENABLE, or by using an extension). */
final class SessionOptions {
    boolean utf8;
    boolean condstore;
    boolean qresync;
    boolean imap4rev2;
}
