package mailserver.imap.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The msg-ids of a Message-ID, In-Reply-To or References field (RFC 5322 3.6.4) as THREAD=REFERENCES
 * reads them: each {@code <left@right>} with the whitespace and quoting inside removed, compared
 * octet for octet. Comments and quoted strings between ids are skipped, anything else that is not
 * a valid id (no {@code @}, an empty side, unterminated, too long) is ignored, since mail in the
 * wild carries garbage there and the RFC only asks for the valid ids.
 */
final class MessageIds {

    /** Longer than any line RFC 5322 allows, so longer is garbage. */
    static final int MAX_ID_LENGTH = 998;
    /** References lists the thread from its start; when it is longer, the ids nearest the parent are the ones kept. */
    static final int MAX_IDS = 1000;

    private MessageIds() {
    }

    /** The valid ids in order, at most the last {@link #MAX_IDS}; empty for null. */
    static List<String> all(String field) {
        Deque<String> ids = new ArrayDeque<>();
        if (field == null) {
            return List.of();
        }
        int i = 0;
        while (i < field.length()) {
            char c = field.charAt(i);
            if (c == '(') {
                i = skipComment(field, i);
            } else if (c == '"') {
                i = skipQuoted(field, i);
            } else if (c == '<') {
                int end = i + 1;
                while (end < field.length() && field.charAt(end) != '<' && field.charAt(end) != '>') {
                    end++;
                }
                if (end == field.length()) {
                    break;
                }
                if (field.charAt(end) == '<') {
                    i = end; // "<garbage <id@host>": the inner one is the id
                    continue;
                }
                String id = valid(field.substring(i + 1, end));
                if (id != null) {
                    if (ids.size() == MAX_IDS) {
                        ids.removeFirst();
                    }
                    ids.addLast(id);
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return new ArrayList<>(ids);
    }

    /** The first valid id, or null: what Message-ID and In-Reply-To give. */
    static String first(String field) {
        if (field == null) {
            return null;
        }
        List<String> ids = all(field);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * The id normalised, or null when it is not valid. RFC 5256 requires ids that differ only in
     * quoting to match ({@code <"a"@x>} is {@code <a@x>}), so quotes and quoting backslashes go.
     */
    private static String valid(String inside) {
        String id = inside.replaceAll("\\s+", "").replaceAll("\\\\(.)|\"", "$1");
        if (id.length() > MAX_ID_LENGTH || id.indexOf('@') <= 0 || id.lastIndexOf('@') == id.length() - 1) {
            return null;
        }
        return "<" + id + ">";
    }

    /** Index after the comment that starts at {@code start}; comments nest and {@code \} quotes one character. */
    private static int skipComment(String s, int start) {
        int depth = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }

    private static int skipQuoted(String s, int start) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return s.length();
    }
}
