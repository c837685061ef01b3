package mailserver.store.maildir;

import java.util.List;

/**
 * The contents of {@code dovecot-uidlist} version 3: the folder's UIDVALIDITY, the next UID to
 * give out, the folder GUID and the UID of every message by file base name, in ascending UID order.
 *
 * @param nextUid already corrected for records appended after the header was written
 */
public record UidList(long uidValidity, long nextUid, String guid, List<Record> records) {

    public static final int VERSION = 3;

    /**
     * One message: {@code extensions} keeps Dovecot's optional per-record fields (such as
     * {@code W1234}) verbatim so a rewrite does not drop them.
     */
    public record Record(long uid, String extensions, String base) {
        public String line() {
            return uid + (extensions.isEmpty() ? "" : " " + extensions) + " :" + base;
        }
    }

    public UidList {
        records = List.copyOf(records);
    }

    public String header() {
        return VERSION + " V" + uidValidity + " N" + nextUid + " G" + guid;
    }

    public String format() {
        StringBuilder out = new StringBuilder(64 + records.size() * 48);
        out.append(header()).append('\n');
        for (Record r : records) {
            out.append(r.line()).append('\n');
        }
        return out.toString();
    }
}
