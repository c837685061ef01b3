package mailserver.pop3.session;

/** What a session did, for its logout line (Dovecot's {@code top=0/0, retr=1/427, del=0/1}). */
final class SessionCounters {

    private int topCount;
    private long topBytes;
    private int retrCount;
    private long retrBytes;
    private int deleted;
    private int marked;

    void topped(long bytes) {
        topCount++;
        topBytes += bytes;
    }

    void retrieved(long bytes) {
        retrCount++;
        retrBytes += bytes;
    }

    void deleted(int removed, int markedForDeletion) {
        deleted = removed;
        marked = markedForDeletion;
    }

    @Override
    public String toString() {
        return "top=" + topCount + "/" + topBytes + ", retr=" + retrCount + "/" + retrBytes + ", del=" + deleted + "/" + marked;
    }
}
