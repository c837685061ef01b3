package mailserver.store.maildir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code dovecot-uidlist} version 3. Dovecot appends records without rewriting the header,
 * so the next UID is the larger of the header's {@code N} and the last UID plus one. A record
 * that breaks the rules (UID not increasing, repeated base, malformed) is dropped: its file then
 * gets a new UID, which loses no message, whereas trusting it could give two messages one UID.
 */
public final class UidListParser {

    static final int MAX_LINE = 8192;
    static final int MAX_RECORDS = 10_000_000;

    /** The file cannot be used at all (wrong version, no header). */
    public static final class BadUidListException extends Exception {
        BadUidListException(String message) {
            super(message);
        }
    }

    /** What was read, plus how many lines had to be dropped (a reason to rewrite the file). */
    public record Result(UidList uidList, int droppedLines, boolean endsMidLine) {
    }

    private UidListParser() {
    }

    public static Result parse(String content) throws BadUidListException {
        int headerEnd = content.indexOf('\n');
        if (headerEnd < 0) {
            throw new BadUidListException("no header line");
        }
        String[] header = content.substring(0, Math.min(headerEnd, MAX_LINE)).split(" ");
        if (!header[0].equals(String.valueOf(UidList.VERSION))) {
            throw new BadUidListException("unsupported dovecot-uidlist version '" + header[0] + "'");
        }
        long uidValidity = 0;
        long nextUid = 1;
        String guid = "";
        for (int i = 1; i < header.length; i++) {
            String field = header[i];
            if (field.length() < 2) {
                continue;
            }
            switch (field.charAt(0)) {
                case 'V' -> uidValidity = number(field.substring(1));
                case 'N' -> nextUid = number(field.substring(1));
                case 'G' -> guid = field.substring(1);
                default -> { /* other header fields carry nothing we need */ }
            }
        }
        if (uidValidity <= 0 || uidValidity > 0xffffffffL || nextUid <= 0) {
            throw new BadUidListException("bad header '" + content.substring(0, headerEnd) + "'");
        }
        List<UidList.Record> records = new ArrayList<>();
        Set<String> bases = new HashSet<>();
        long lastUid = 0;
        int dropped = 0;
        int start = headerEnd + 1;
        boolean endsMidLine = false;
        while (start < content.length()) {
            int end = content.indexOf('\n', start);
            if (end < 0) {
                // A writer is appending right now, or crashed mid-line: the tail is not a record yet.
                endsMidLine = true;
                break;
            }
            UidList.Record record = end - start <= MAX_LINE ? record(content, start, end) : null;
            start = end + 1;
            if (record == null || record.uid() <= lastUid || !bases.add(record.base())
                    || records.size() >= MAX_RECORDS) {
                dropped++;
                continue;
            }
            records.add(record);
            lastUid = record.uid();
        }
        long next = Math.max(nextUid, lastUid + 1);
        return new Result(new UidList(uidValidity, next, guid, records), dropped, endsMidLine);
    }

    private static UidList.Record record(String content, int start, int end) {
        int space = content.indexOf(' ', start);
        int colon = content.indexOf(" :", start);
        if (space < 0 || colon < 0 || space > end || colon >= end - 2) {
            return null;
        }
        long uid = number(content.substring(start, space));
        if (uid <= 0 || uid > 0xffffffffL) {
            return null;
        }
        String extensions = colon > space ? content.substring(space + 1, colon) : "";
        String base = content.substring(colon + 2, end);
        if (base.indexOf('/') >= 0 || base.indexOf(MaildirFileName.INFO_SEPARATOR) >= 0 || base.startsWith(".")) {
            return null;
        }
        return new UidList.Record(uid, extensions, base);
    }

    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 10) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i)) || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
