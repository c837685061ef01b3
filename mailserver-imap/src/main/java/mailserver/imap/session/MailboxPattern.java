package mailserver.imap.session;

/**
 * A LIST pattern (reference and mailbox joined): {@code *} matches anything, {@code %} anything
 * but the hierarchy delimiter. A leading INBOX is matched case-insensitively. Matching is a
 * dynamic program over pattern and name, so no pattern takes more than their product in steps.
 */
final class MailboxPattern {

    private final String pattern;
    private final char delimiter;

    MailboxPattern(String reference, String mailbox, char delimiter) {
        String joined = reference + mailbox;
        if (joined.regionMatches(true, 0, "INBOX", 0, 5) && (joined.length() == 5 || joined.charAt(5) == delimiter)) {
            joined = "INBOX" + joined.substring(5);
        }
        this.pattern = joined;
        this.delimiter = delimiter;
    }

    boolean matches(String name) {
        // row[j]: pattern[0..i) matches name[0..j)
        boolean[] row = new boolean[name.length() + 1];
        row[0] = true;
        for (int i = 0; i < pattern.length(); i++) {
            char p = pattern.charAt(i);
            boolean[] next = new boolean[name.length() + 1];
            if (p == '*' || p == '%') {
                next[0] = row[0];
                for (int j = 1; j <= name.length(); j++) {
                    boolean extend = next[j - 1] && (p == '*' || name.charAt(j - 1) != delimiter);
                    next[j] = row[j] || extend;
                }
            } else {
                for (int j = 1; j <= name.length(); j++) {
                    next[j] = row[j - 1] && name.charAt(j - 1) == p;
                }
            }
            row = next;
        }
        return row[name.length()];
    }
}
