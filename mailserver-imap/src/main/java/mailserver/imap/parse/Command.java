package mailserver.imap.parse;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import mailserver.store.FlagUpdate;
import mailserver.store.Flags;

/**
 * A parsed client command. Mailbox names are already decoded (modified UTF-7, or UTF-8 after
 * ENABLE UTF8=ACCEPT), with INBOX in upper case. Commands holding literals ({@link Append}) must
 * be closed when done.
 */
public sealed interface Command extends AutoCloseable {

    String tag();

    /** The command name for logs, such as {@code UID FETCH}. */
    String name();

    @Override
    default void close() {
    }

    /** Commands without arguments: CAPABILITY, NOOP, LOGOUT, STARTTLS, CHECK, CLOSE, UNSELECT, EXPUNGE, IDLE, NAMESPACE, COMPRESS. */
    record Simple(String tag, String name) implements Command {
    }

    record Login(String tag, String user, String password) implements Command {
        public String name() {
            return "LOGIN";
        }

        @Override
        public String toString() {
            return "Login[tag=" + tag + ", user=" + user + "]";
        }
    }

    /** @param initialResponse SASL-IR, base64 as sent ({@code =} for empty), or null */
    record Authenticate(String tag, String mechanism, String initialResponse) implements Command {
        public String name() {
            return "AUTHENTICATE";
        }

        @Override
        public String toString() {
            return "Authenticate[tag=" + tag + ", mechanism=" + mechanism + "]";
        }
    }

    record Enable(String tag, List<String> capabilities) implements Command {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }

        public String name() {
            return "ENABLE";
        }
    }

    /** RFC 7162 QRESYNC parameters of SELECT/EXAMINE; {@code knownUids} may be null. */
    record Qresync(long uidValidity, long modseq, SequenceSet knownUids) {
    }

    /** SELECT or EXAMINE ({@code readOnly}); {@code qresync} may be null. */
    record Select(String tag, String mailbox, boolean readOnly, boolean condstore, Qresync qresync) implements Command {
        public String name() {
            return readOnly ? "EXAMINE" : "SELECT";
        }
    }

    /** Commands whose only argument is a mailbox: CREATE, DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT. */
    record OnMailbox(String tag, String name, String mailbox) implements Command {
    }

    record Rename(String tag, String from, String to) implements Command {
        public String name() {
            return "RENAME";
        }
    }

    /**
     * LIST (RFC 3501, with RFC 5258 selection and return options) or LSUB.
     *
     * @param selection   selection options in upper case: SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE
     * @param returns     return options in upper case: SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS
     * @param statusItems for RETURN (STATUS (...)) (RFC 5819)
     */
    record ListMailboxes(String tag, boolean lsub, List<String> selection, String reference, List<String> patterns,
                         List<String> returns, List<StatusItem> statusItems) implements Command {
        public ListMailboxes {
            selection = List.copyOf(selection);
            patterns = List.copyOf(patterns);
            returns = List.copyOf(returns);
            statusItems = List.copyOf(statusItems);
        }

        public String name() {
            return lsub ? "LSUB" : "LIST";
        }
    }

    record Status(String tag, String mailbox, List<StatusItem> items) implements Command {
        public Status {
            items = List.copyOf(items);
        }

        public String name() {
            return "STATUS";
        }
    }

    /** One message of an APPEND; {@code internalDate} may be null. */
    record AppendMessage(Flags flags, Instant internalDate, Literal message) {
    }

    /** APPEND with one or more (RFC 3502 MULTIAPPEND) messages. */
    record Append(String tag, String mailbox, List<AppendMessage> messages) implements Command {
        public Append {
            messages = List.copyOf(messages);
        }

        public String name() {
            return "APPEND";
        }

        @Override
        public void close() {
            messages.forEach(m -> m.message().close());
        }
    }

    /**
     * SEARCH, or UID SEARCH.
     *
     * @param charset the CHARSET argument in upper case, or null
     * @param returns RFC 4731 ESEARCH return options in upper case (MIN MAX ALL COUNT SAVE), or null
     *                for a plain SEARCH answered with {@code * SEARCH}
     */
    record Search(String tag, boolean uid, String charset, List<String> returns, SearchKey key) implements Command {
        public String name() {
            return uid ? "UID SEARCH" : "SEARCH";
        }
    }

    /**
     * FETCH or UID FETCH (which adds UID to the attributes).
     *
     * @param changedSince RFC 7162 CHANGEDSINCE, or -1
     * @param vanished     RFC 7162 VANISHED (UID FETCH with CHANGEDSINCE only)
     */
    record Fetch(String tag, boolean uid, SequenceSet set, List<FetchAttribute> attributes, long changedSince,
                 boolean vanished) implements Command {
        public Fetch {
            attributes = List.copyOf(attributes);
        }

        public String name() {
            return uid ? "UID FETCH" : "FETCH";
        }
    }

    /** STORE or UID STORE; {@code unchangedSince} is -1 when absent. */
    record Store(String tag, boolean uid, SequenceSet set, long unchangedSince, FlagUpdate mode, boolean silent,
                 Flags flags) implements Command {
        public String name() {
            return uid ? "UID STORE" : "STORE";
        }
    }

    /** COPY or MOVE (RFC 6851), with or without UID. */
    record Copy(String tag, boolean uid, boolean move, SequenceSet set, String mailbox) implements Command {
        public String name() {
            return (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        }
    }

    /** UID EXPUNGE (RFC 4315). */
    record UidExpunge(String tag, SequenceSet set) implements Command {
        public String name() {
            return "UID EXPUNGE";
        }
    }

    /** One SORT criterion (RFC 5256, RFC 5957 DISPLAYFROM/DISPLAYTO), possibly REVERSE. */
    record SortKey(SortCriterion criterion, boolean reverse) {
    }

    enum SortCriterion { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }

    /** SORT or UID SORT (RFC 5256). */
    record Sort(String tag, boolean uid, List<SortKey> keys, String charset, SearchKey key) implements Command {
        public Sort {
            keys = List.copyOf(keys);
        }

        public String name() {
            return uid ? "UID SORT" : "SORT";
        }
    }

    /** THREAD or UID THREAD (RFC 5256) with the algorithm in upper case. */
    record ThreadMessages(String tag, boolean uid, String algorithm, String charset, SearchKey key) implements Command {
        public String name() {
            return uid ? "UID THREAD" : "THREAD";
        }
    }

    /** RFC 2971 ID; {@code parameters} is empty for NIL. */
    record Id(String tag, Map<String, String> parameters) implements Command {
        public String name() {
            return "ID";
        }
    }

    /** RFC 9208 GETQUOTA. */
    record GetQuota(String tag, String root) implements Command {
        public String name() {
            return "GETQUOTA";
        }
    }
}
