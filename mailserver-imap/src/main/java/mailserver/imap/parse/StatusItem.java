package mailserver.imap.parse;

/** What STATUS (and LIST RETURN (STATUS ...)) may ask for. */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED, SIZE, HIGHESTMODSEQ, APPENDLIMIT
}
