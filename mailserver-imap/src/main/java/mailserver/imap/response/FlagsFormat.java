package mailserver.imap.response;

import java.util.StringJoiner;

import mailserver.store.Flags;
import mailserver.store.SystemFlag;

/** A message's flags as a parenthesised IMAP list, system flags first. */
public final class FlagsFormat {

    /** What PERMANENTFLAGS and FLAGS announce: the system flags, and that keywords can be made ({@code \*}). */
    public static final String SYSTEM_FLAGS = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    private FlagsFormat() {
    }

    public static String list(Flags flags) {
        StringJoiner out = new StringJoiner(" ", "(", ")");
        for (SystemFlag f : flags.system()) {
            out.add(f.imapName());
        }
        flags.keywords().forEach(out::add);
        return out.toString();
    }
}
