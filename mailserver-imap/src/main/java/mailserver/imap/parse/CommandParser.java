package mailserver.imap.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import mailserver.imap.parse.FetchAttribute.Simple;
import mailserver.store.FlagUpdate;
import mailserver.store.Flags;
import mailserver.store.SystemFlag;

/**
 * Turns a {@link RawCommand} into a {@link Command}, following RFC 3501 and RFC 9051's formal
 * syntax plus the extensions the server announces. Anything else, including every limit, is an
 * {@link ImapParseException}; no other exception escapes.
 */
public final class CommandParser {

    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final Set<String> SIMPLE = Set.of("CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "CHECK", "CLOSE",
            "UNSELECT", "EXPUNGE", "IDLE", "NAMESPACE");
    private static final int MAX_ID_PARAMETERS = 30;

    private final ImapLimits limits;

    public CommandParser(ImapLimits limits) {
        this.limits = limits;
    }

    /** @param utf8 the client enabled UTF8=ACCEPT: mailbox names are UTF-8, not modified UTF-7 */
    public Command parse(RawCommand raw, boolean utf8) throws ImapParseException {
        String tag = null;
        try {
            Cursor c = new Cursor(raw, limits.maxNesting());
            tag = c.tagToken();
            c.tag(tag);
            c.sp();
            Command command = new Parse(c, utf8).command();
            c.end();
            return command;
        } catch (ImapParseException e) {
            throw e.withTag(tag);
        } catch (RuntimeException e) {
            // A value the records refuse (a section such as MIME without a part, say): still the client's fault.
            throw new ImapParseException(tag, "Invalid arguments: " + e.getMessage());
        }
    }

    /** One parse: the cursor and the session's name encoding. */
    private static final class Parse {
        private final Cursor c;
        private final boolean utf8;

        Parse(Cursor c, boolean utf8) {
            this.c = c;
            this.utf8 = utf8;
        }

        Command command() throws ImapParseException {
            String tag = c.tag();
            String name = c.atom().toUpperCase(Locale.ROOT);
            if (name.equals("UID")) {
                c.sp();
                return uidCommand(tag, c.atom().toUpperCase(Locale.ROOT));
            }
            if (SIMPLE.contains(name)) {
                return new Command.Simple(tag, name);
            }
            switch (name) {
                case "LOGIN": {
                    c.sp();
                    String user = c.astring();
                    c.sp();
                    return new Command.Login(tag, user, c.astring());
                }
                case "AUTHENTICATE":
                    return authenticate(tag);
                case "ENABLE": {
                    List<String> caps = new ArrayList<>();
                    do {
                        c.sp();
                        caps.add(c.atom().toUpperCase(Locale.ROOT));
                    } while (c.peek() == ' ');
                    return new Command.Enable(tag, caps);
                }
                case "SELECT":
                case "EXAMINE":
                    return select(tag, name.equals("EXAMINE"));
                case "CREATE":
                case "DELETE":
                case "SUBSCRIBE":
                case "UNSUBSCRIBE":
                case "GETQUOTAROOT": {
                    c.sp();
                    return new Command.OnMailbox(tag, name, mailbox());
                }
                case "RENAME": {
                    c.sp();
                    String from = mailbox();
                    c.sp();
                    return new Command.Rename(tag, from, mailbox());
                }
                case "LIST":
                    return list(tag);
                case "LSUB": {
                    c.sp();
                    String reference = mailboxPattern(c.astring());
                    c.sp();
                    return new Command.ListMailboxes(tag, true, List.of(), reference,
                            List.of(mailboxPattern(c.listMailbox())), List.of(), List.of());
                }
                case "STATUS": {
                    c.sp();
                    String mailbox = mailbox();
                    c.sp();
                    return new Command.Status(tag, mailbox, statusItems());
                }
                case "APPEND":
                    return append(tag);
                case "ID":
                    return id(tag);
                case "COMPRESS": {
                    c.sp();
                    String algorithm = c.atom().toUpperCase(Locale.ROOT);
                    if (!algorithm.equals("DEFLATE")) {
                        throw c.error("Unknown compression " + algorithm);
                    }
                    return new Command.Simple(tag, "COMPRESS");
                }
                case "GETQUOTA": {
                    c.sp();
                    return new Command.GetQuota(tag, c.astring());
                }
                case "SEARCH":
                case "FETCH":
                case "STORE":
                case "COPY":
                case "MOVE":
                case "SORT":
                case "THREAD":
                    return uidCommand(tag, name, false);
                default:
                    throw c.error("Unknown command " + name);
            }
        }

        private Command uidCommand(String tag, String name) throws ImapParseException {
            if (name.equals("EXPUNGE")) {
                c.sp();
                return new Command.UidExpunge(tag, sequenceSet());
            }
            if (!List.of("SEARCH", "FETCH", "STORE", "COPY", "MOVE", "SORT", "THREAD").contains(name)) {
                throw c.error("Unknown UID command " + name);
            }
            return uidCommand(tag, name, true);
        }

        /** The commands that come with and without UID. */
        private Command uidCommand(String tag, String name, boolean uid) throws ImapParseException {
            switch (name) {
                case "SEARCH":
                    return search(tag, uid);
                case "FETCH":
                    return fetch(tag, uid);
                case "STORE":
                    return store(tag, uid);
                case "SORT":
                    return sort(tag, uid);
                case "THREAD":
                    return thread(tag, uid);
                default: {
                    c.sp();
                    SequenceSet set = sequenceSet();
                    c.sp();
                    return new Command.Copy(tag, uid, name.equals("MOVE"), set, mailbox());
                }
            }
        }

        private Command authenticate(String tag) throws ImapParseException {
            c.sp();
            String mechanism = c.atom().toUpperCase(Locale.ROOT);
            String initial = null;
            if (c.skip(' ')) {
                initial = c.atom();
                if (!initial.equals("=") && !initial.matches("[A-Za-z0-9+/]*={0,2}")) {
                    throw c.error("Initial response is not base64");
                }
            }
            return new Command.Authenticate(tag, mechanism, initial);
        }

        private Command select(String tag, boolean readOnly) throws ImapParseException {
            c.sp();
            String mailbox = mailbox();
            boolean condstore = false;
            Command.Qresync qresync = null;
            if (c.skip(' ')) {
                c.open();
                do {
                    String parameter = c.atom().toUpperCase(Locale.ROOT);
                    if (parameter.equals("CONDSTORE")) {
                        condstore = true;
                    } else if (parameter.equals("QRESYNC")) {
                        c.sp();
                        qresync = qresync();
                    } else {
                        throw c.error("Unknown SELECT parameter " + parameter);
                    }
                } while (c.skip(' '));
                c.close();
            }
            return new Command.Select(tag, mailbox, readOnly, condstore, qresync);
        }

        /** {@code (uidvalidity modseq [known-uids] [(seq-match-data)])}; the match data is read and not used. */
        private Command.Qresync qresync() throws ImapParseException {
            c.open();
            long uidValidity = c.nzNumber();
            c.sp();
            long modseq = c.number();
            SequenceSet known = null;
            if (c.skip(' ')) {
                if (c.peek() != '(') {
                    known = sequenceSet();
                    c.skip(' ');
                }
                if (c.peek() == '(') {
                    c.open();
                    sequenceSet();
                    c.sp();
                    sequenceSet();
                    c.close();
                }
            }
            c.close();
            return new Command.Qresync(uidValidity, modseq, known);
        }

        private Command list(String tag) throws ImapParseException {
            c.sp();
            List<String> selection = new ArrayList<>();
            if (c.peek() == '(') {
                c.open();
                while (c.peek() != ')') {
                    String option = c.atom().toUpperCase(Locale.ROOT);
                    if (!List.of("SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE").contains(option)) {
                        throw c.error("Unknown LIST selection option " + option);
                    }
                    selection.add(option);
                    if (!c.skip(' ')) {
                        break;
                    }
                }
                c.close();
                c.sp();
                if (selection.equals(List.of("RECURSIVEMATCH"))) {
                    throw c.error("RECURSIVEMATCH needs another selection option");
                }
            }
            String reference = mailboxPattern(c.astring());
            c.sp();
            List<String> patterns = new ArrayList<>();
            if (c.peek() == '(') {
                c.open();
                do {
                    patterns.add(mailboxPattern(c.listMailbox()));
                } while (c.skip(' '));
                c.close();
            } else {
                patterns.add(mailboxPattern(c.listMailbox()));
            }
            List<String> returns = new ArrayList<>();
            List<StatusItem> statusItems = new ArrayList<>();
            if (c.skip(' ')) {
                if (!c.atom().equalsIgnoreCase("RETURN")) {
                    throw c.error("Expected RETURN");
                }
                c.sp();
                c.open();
                while (c.peek() != ')') {
                    String option = c.atom().toUpperCase(Locale.ROOT);
                    if (option.equals("STATUS")) {
                        c.sp();
                        statusItems.addAll(statusItems());
                    } else if (!List.of("SUBSCRIBED", "CHILDREN", "SPECIAL-USE").contains(option)) {
                        throw c.error("Unknown LIST return option " + option);
                    }
                    returns.add(option);
                    if (!c.skip(' ')) {
                        break;
                    }
                }
                c.close();
            }
            return new Command.ListMailboxes(tag, false, selection, reference, patterns, returns, statusItems);
        }

        private List<StatusItem> statusItems() throws ImapParseException {
            List<StatusItem> items = new ArrayList<>();
            c.open();
            do {
                String item = c.atom().toUpperCase(Locale.ROOT);
                try {
                    items.add(StatusItem.valueOf(item));
                } catch (IllegalArgumentException e) {
                    throw c.error("Unknown status item " + item);
                }
            } while (c.skip(' '));
            c.close();
            return items;
        }

        private Command append(String tag) throws ImapParseException {
            c.sp();
            String mailbox = mailbox();
            List<Command.AppendMessage> messages = new ArrayList<>();
            while (c.skip(' ')) {
                Flags flags = Flags.NONE;
                Instant date = null;
                if (c.peek() == '(') {
                    flags = flagList();
                    c.sp();
                }
                if (c.peek() == '"') {
                    date = dateTime(c.string());
                    c.sp();
                }
                messages.add(new Command.AppendMessage(flags, date, c.literal()));
            }
            if (messages.isEmpty()) {
                throw c.error("APPEND needs a message");
            }
            return new Command.Append(tag, mailbox, messages);
        }

        private Command id(String tag) throws ImapParseException {
            c.sp();
            Map<String, String> parameters = new LinkedHashMap<>();
            if (c.peek() != '(') {
                if (!c.atom().equalsIgnoreCase("NIL")) {
                    throw c.error("Expected NIL or a parameter list");
                }
                return new Command.Id(tag, parameters);
            }
            c.open();
            while (c.peek() != ')') {
                String key = c.string();
                c.sp();
                parameters.put(key, c.nstring());
                if (parameters.size() > MAX_ID_PARAMETERS) {
                    throw c.error("More than " + MAX_ID_PARAMETERS + " ID parameters");
                }
                if (!c.skip(' ')) {
                    break;
                }
            }
            c.close();
            return new Command.Id(tag, java.util.Collections.unmodifiableMap(parameters));
        }

        // ---- SEARCH ----

        private Command search(String tag, boolean uid) throws ImapParseException {
            c.sp();
            List<String> returns = null;
            if (c.skipWord("RETURN ")) {
                returns = new ArrayList<>();
                c.open();
                while (c.peek() != ')') {
                    String option = c.atom().toUpperCase(Locale.ROOT);
                    if (!List.of("MIN", "MAX", "ALL", "COUNT", "SAVE").contains(option)) {
                        throw c.error("Unknown SEARCH return option " + option);
                    }
                    returns.add(option);
                    if (!c.skip(' ')) {
                        break;
                    }
                }
                c.close();
                c.sp();
            }
            String charset = null;
            if (c.skipWord("CHARSET ")) {
                charset = c.astring().toUpperCase(Locale.ROOT);
                c.sp();
            }
            List<SearchKey> keys = new ArrayList<>();
            keys.add(searchKey());
            while (c.skip(' ')) {
                keys.add(searchKey());
            }
            return new Command.Search(tag, uid, charset, returns, keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys));
        }

        /** {@code SORT (criteria) charset search-keys}. */
        private Command sort(String tag, boolean uid) throws ImapParseException {
            c.sp();
            c.open();
            List<Command.SortKey> keys = new ArrayList<>();
            do {
                boolean reverse = false;
                String word = c.atom().toUpperCase(Locale.ROOT);
                if (word.equals("REVERSE")) {
                    reverse = true;
                    c.sp();
                    word = c.atom().toUpperCase(Locale.ROOT);
                }
                try {
                    keys.add(new Command.SortKey(Command.SortCriterion.valueOf(word), reverse));
                } catch (IllegalArgumentException e) {
                    throw c.error("Unknown sort criterion " + word);
                }
            } while (c.skip(' '));
            c.close();
            c.sp();
            String charset = c.astring().toUpperCase(Locale.ROOT);
            return new Command.Sort(tag, uid, keys, charset, searchKeys());
        }

        /** {@code THREAD algorithm charset search-keys}. */
        private Command thread(String tag, boolean uid) throws ImapParseException {
            c.sp();
            String algorithm = c.atom().toUpperCase(Locale.ROOT);
            c.sp();
            String charset = c.astring().toUpperCase(Locale.ROOT);
            return new Command.ThreadMessages(tag, uid, algorithm, charset, searchKeys());
        }

        /** 1*(SP search-key), as one key. */
        private SearchKey searchKeys() throws ImapParseException {
            List<SearchKey> keys = new ArrayList<>();
            while (c.skip(' ')) {
                keys.add(searchKey());
            }
            if (keys.isEmpty()) {
                throw c.error("Expected search keys");
            }
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }

        private SearchKey searchKey() throws ImapParseException {
            c.enter();
            try {
                return searchKeyInside();
            } finally {
                c.leave();
            }
        }

        private SearchKey searchKeyInside() throws ImapParseException {
            int first = c.peek();
            if ((first >= '0' && first <= '9') || first == '*' || first == '$') {
                return new SearchKey.Sequence(sequenceSet(), false);
            }
            if (first == '(') {
                c.open();
                List<SearchKey> keys = new ArrayList<>();
                keys.add(searchKey());
                while (c.skip(' ')) {
                    keys.add(searchKey());
                }
                c.close();
                return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
            }
            String key = c.atom().toUpperCase(Locale.ROOT);
            switch (key) {
                case "ALL":
                    return new SearchKey.All();
                case "ANSWERED":
                case "DELETED":
                case "DRAFT":
                case "FLAGGED":
                case "SEEN":
                    return new SearchKey.Flag(systemFlag(key), true);
                case "UNANSWERED":
                case "UNDELETED":
                case "UNDRAFT":
                case "UNFLAGGED":
                case "UNSEEN":
                    return new SearchKey.Flag(systemFlag(key.substring(2)), false);
                case "RECENT":
                    return new SearchKey.Flag("\\Recent", true);
                case "OLD":
                    return new SearchKey.Flag("\\Recent", false);
                case "NEW":
                    return new SearchKey.And(List.of(new SearchKey.Flag("\\Recent", true), new SearchKey.Flag("\\Seen", false)));
                case "KEYWORD":
                case "UNKEYWORD": {
                    c.sp();
                    return new SearchKey.Flag(keyword(c.atom()), key.equals("KEYWORD"));
                }
                case "BCC":
                case "CC":
                case "FROM":
                case "SUBJECT":
                case "TO": {
                    c.sp();
                    return new SearchKey.Header(key, c.astring());
                }
                case "HEADER": {
                    c.sp();
                    String field = c.astring();
                    c.sp();
                    return new SearchKey.Header(field.toUpperCase(Locale.ROOT), c.astring());
                }
                case "BODY":
                case "TEXT": {
                    c.sp();
                    return new SearchKey.Text(key.equals("BODY"), c.astring());
                }
                case "BEFORE":
                case "ON":
                case "SINCE":
                case "SENTBEFORE":
                case "SENTON":
                case "SENTSINCE": {
                    c.sp();
                    boolean sent = key.startsWith("SENT");
                    SearchKey.Comparison comparison = SearchKey.Comparison.valueOf(sent ? key.substring(4) : key);
                    return new SearchKey.DateCompare(sent, comparison, date(c.astring()));
                }
                case "LARGER":
                case "SMALLER": {
                    c.sp();
                    return new SearchKey.Size(key.equals("LARGER"), c.number());
                }
                case "UID": {
                    c.sp();
                    return new SearchKey.Sequence(sequenceSet(), true);
                }
                case "NOT": {
                    c.sp();
                    return new SearchKey.Not(searchKey());
                }
                case "OR": {
                    c.sp();
                    SearchKey left = searchKey();
                    c.sp();
                    return new SearchKey.Or(left, searchKey());
                }
                case "MODSEQ": {
                    c.sp();
                    if (c.peek() == '"') {
                        // entry-name entry-type-req: metadata of the modseq, ignored as Dovecot does
                        c.string();
                        c.sp();
                        c.atom();
                        c.sp();
                    }
                    return new SearchKey.ModSeq(c.number());
                }
                case "YOUNGER":
                case "OLDER": {
                    c.sp();
                    return new SearchKey.Within(key.equals("YOUNGER"), c.nzNumber());
                }
                default:
                    throw c.error("Unknown search key " + key);
            }
        }

        private String systemFlag(String name) {
            return "\\" + name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        }

        private String keyword(String atom) throws ImapParseException {
            if (atom.startsWith("\\")) {
                throw c.error("A keyword cannot start with a backslash");
            }
            return atom;
        }

        private LocalDate date(String text) throws ImapParseException {
            String[] parts = text.split("-", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 2 || parts[2].length() != 4
                    || !parts[0].chars().allMatch(Character::isDigit) || !parts[2].chars().allMatch(Character::isDigit)) {
                throw c.error("Expected a date like 1-Feb-1994");
            }
            int month = MONTHS.indexOf(parts[1].toUpperCase(Locale.ROOT)) + 1;
            if (month == 0) {
                throw c.error("Unknown month " + parts[1]);
            }
            try {
                return LocalDate.of(Integer.parseInt(parts[2]), month, Integer.parseInt(parts[0]));
            } catch (DateTimeException e) {
                throw c.error("No such date " + text);
            }
        }

        /** {@code dd-Mon-yyyy hh:mm:ss +zzzz}, the day possibly with a leading space. */
        private Instant dateTime(String text) throws ImapParseException {
            if (text.length() != 26 || text.charAt(11) != ' ' || text.charAt(20) != ' ') {
                throw c.error("Expected a date-time like \"01-Feb-1994 21:52:25 -0800\"");
            }
            LocalDate day = date(text.substring(0, 11).trim());
            try {
                String[] time = text.substring(12, 20).split(":");
                String zone = text.substring(21);
                if (time.length != 3 || !zone.matches("[+-][0-9]{4}")) {
                    throw c.error("Bad time or zone in " + text);
                }
                int zoneMinutes = Integer.parseInt(zone.substring(1, 3)) * 60 + Integer.parseInt(zone.substring(3));
                LocalDateTime local = day.atTime(Integer.parseInt(time[0]), Integer.parseInt(time[1]), Integer.parseInt(time[2]));
                return local.toInstant(ZoneOffset.ofTotalSeconds((zone.charAt(0) == '-' ? -60 : 60) * zoneMinutes));
            } catch (NumberFormatException | DateTimeException e) {
                throw c.error("Bad date-time " + text);
            }
        }

        // ---- FETCH ----

        private Command fetch(String tag, boolean uid) throws ImapParseException {
            c.sp();
            SequenceSet set = sequenceSet();
            c.sp();
            List<FetchAttribute> attributes = new ArrayList<>();
            if (c.peek() == '(') {
                c.open();
                do {
                    attributes.add(fetchAttribute());
                } while (c.skip(' '));
                c.close();
            } else {
                String macro = macro();
                if (macro != null) {
                    attributes.addAll(expand(macro));
                } else {
                    attributes.add(fetchAttribute());
                }
            }
            long changedSince = -1;
            boolean vanished = false;
            if (c.skip(' ')) {
                c.open();
                do {
                    String modifier = c.atom().toUpperCase(Locale.ROOT);
                    if (modifier.equals("CHANGEDSINCE")) {
                        c.sp();
                        changedSince = c.nzNumber();
                    } else if (modifier.equals("VANISHED")) {
                        vanished = true;
                    } else {
                        throw c.error("Unknown FETCH modifier " + modifier);
                    }
                } while (c.skip(' '));
                c.close();
                if (vanished && (!uid || changedSince < 0)) {
                    throw c.error("VANISHED needs UID FETCH with CHANGEDSINCE");
                }
            }
            if (uid && !attributes.contains(Simple.UID)) {
                attributes.add(0, Simple.UID);
            }
            if (changedSince >= 0 && !attributes.contains(Simple.MODSEQ)) {
                attributes.add(Simple.MODSEQ);
            }
            return new Command.Fetch(tag, uid, set, attributes, changedSince, vanished);
        }

        private String macro() throws ImapParseException {
            for (String macro : List.of("ALL", "FAST", "FULL")) {
                if (c.skipWord(macro)) {
                    int next = c.peek();
                    if (next == -1 || next == ' ') {
                        return macro;
                    }
                    throw c.error("Unknown FETCH attribute " + macro + (char) next);
                }
            }
            return null;
        }

        private List<FetchAttribute> expand(String macro) {
            List<FetchAttribute> all = new ArrayList<>(List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE));
            if (!macro.equals("FAST")) {
                all.add(Simple.ENVELOPE);
            }
            if (macro.equals("FULL")) {
                all.add(Simple.BODY);
            }
            return all;
        }

        private FetchAttribute fetchAttribute() throws ImapParseException {
            String name = c.word();
            switch (name) {
                case "BODY":
                case "BODY.PEEK": {
                    if (c.peek() != '[') {
                        if (name.equals("BODY.PEEK")) {
                            throw c.error("BODY.PEEK needs a section");
                        }
                        return Simple.BODY;
                    }
                    Section section = section();
                    return new FetchAttribute.BodySection(section, name.equals("BODY.PEEK"), partial());
                }
                case "BINARY":
                case "BINARY.PEEK": {
                    List<Integer> part = binaryPart();
                    return new FetchAttribute.Binary(part, name.equals("BINARY.PEEK"), partial());
                }
                case "BINARY.SIZE":
                    return new FetchAttribute.BinarySize(binaryPart());
                default:
                    for (Simple simple : Simple.values()) {
                        if (simple.wire().equals(name)) {
                            return simple;
                        }
                    }
                    throw c.error("Unknown FETCH attribute " + name);
            }
        }

        private Section section() throws ImapParseException {
            c.expect('[');
            List<Integer> part = new ArrayList<>();
            Section.Text text = Section.Text.ALL;
            List<String> fields = new ArrayList<>();
            if (c.peek() != ']') {
                String spec = c.word();
                String[] pieces = spec.split("\\.", -1);
                int i = 0;
                while (i < pieces.length && !pieces[i].isEmpty() && pieces[i].chars().allMatch(Character::isDigit)) {
                    part.add(partNumber(pieces[i]));
                    i++;
                }
                String rest = String.join(".", List.of(pieces).subList(i, pieces.length));
                if (!rest.isEmpty()) {
                    text = sectionText(rest, !part.isEmpty());
                }
                if (text == Section.Text.HEADER_FIELDS || text == Section.Text.HEADER_FIELDS_NOT) {
                    c.sp();
                    c.open();
                    do {
                        fields.add(c.astring().toUpperCase(Locale.ROOT));
                    } while (c.skip(' '));
                    c.close();
                }
            }
            c.expect(']');
            return new Section(part, text, fields);
        }

        private Section.Text sectionText(String text, boolean hasPart) throws ImapParseException {
            for (Section.Text t : Section.Text.values()) {
                if (t != Section.Text.ALL && t.wire().equals(text) && (t != Section.Text.MIME || hasPart)) {
                    return t;
                }
            }
            throw c.error("Unknown section " + text);
        }

        private int partNumber(String digits) throws ImapParseException {
            if (digits.length() > 6 || Integer.parseInt(digits) == 0) {
                throw c.error("Bad part number " + digits);
            }
            return Integer.parseInt(digits);
        }

        private List<Integer> binaryPart() throws ImapParseException {
            c.expect('[');
            List<Integer> part = new ArrayList<>();
            if (c.peek() != ']') {
                do {
                    part.add((int) Math.min(c.nzNumber(), Integer.MAX_VALUE));
                } while (c.skip('.'));
            }
            c.expect(']');
            return part;
        }

        private Partial partial() throws ImapParseException {
            if (!c.skip('<')) {
                return null;
            }
            long offset = c.number();
            c.expect('.');
            long length = c.nzNumber();
            c.expect('>');
            return new Partial(offset, length);
        }

        // ---- STORE ----

        private Command store(String tag, boolean uid) throws ImapParseException {
            c.sp();
            SequenceSet set = sequenceSet();
            c.sp();
            long unchangedSince = -1;
            if (c.peek() == '(') {
                c.open();
                if (!c.atom().equalsIgnoreCase("UNCHANGEDSINCE")) {
                    throw c.error("Unknown STORE modifier");
                }
                c.sp();
                unchangedSince = c.number();
                c.close();
                c.sp();
            }
            FlagUpdate mode = c.skip('+') ? FlagUpdate.ADD : c.skip('-') ? FlagUpdate.REMOVE : FlagUpdate.REPLACE;
            String item = c.word();
            if (!item.equals("FLAGS") && !item.equals("FLAGS.SILENT")) {
                throw c.error("Expected FLAGS or FLAGS.SILENT");
            }
            c.sp();
            Flags flags;
            if (c.peek() == '(') {
                flags = flagList();
            } else {
                List<String> names = new ArrayList<>();
                do {
                    names.add(flag());
                } while (c.skip(' '));
                flags = flags(names);
            }
            return new Command.Store(tag, uid, set, unchangedSince, mode, item.endsWith(".SILENT"), flags);
        }

        private Flags flagList() throws ImapParseException {
            c.open();
            List<String> names = new ArrayList<>();
            while (c.peek() != ')') {
                names.add(flag());
                if (!c.skip(' ')) {
                    break;
                }
            }
            c.close();
            return flags(names);
        }

        private String flag() throws ImapParseException {
            if (c.skip('\\')) {
                return "\\" + c.atom();
            }
            return c.atom();
        }

        /** System flags by name; {@code \Recent} cannot be set and is dropped, other unknown {@code \X} refused. */
        private Flags flags(List<String> names) throws ImapParseException {
            Set<SystemFlag> system = EnumSet.noneOf(SystemFlag.class);
            Set<String> keywords = new TreeSet<>();
            for (String name : names) {
                if (!name.startsWith("\\")) {
                    keywords.add(name);
                    continue;
                }
                if (name.equalsIgnoreCase("\\Recent")) {
                    continue;
                }
                SystemFlag flag = systemFlagNamed(name);
                if (flag == null) {
                    throw c.error("Unknown system flag " + name);
                }
                system.add(flag);
            }
            return new Flags(system, keywords);
        }

        // ---- shared pieces ----

        private SequenceSet sequenceSet() throws ImapParseException {
            if (c.skip('$')) {
                return SequenceSet.SAVED;
            }
            List<SequenceSet.Range> ranges = new ArrayList<>();
            do {
                long first = sequenceNumber();
                long last = c.skip(':') ? sequenceNumber() : first;
                ranges.add(new SequenceSet.Range(first, last));
                if (ranges.size() > 10_000) {
                    throw c.error("Sequence set too long");
                }
            } while (c.skip(','));
            return SequenceSet.of(ranges);
        }

        private long sequenceNumber() throws ImapParseException {
            if (c.skip('*')) {
                return SequenceSet.STAR;
            }
            long n = c.nzNumber();
            if (n > 0xffffffffL) {
                throw c.error("Sequence number beyond 2^32");
            }
            return n;
        }

        private String mailbox() throws ImapParseException {
            String decoded = MailboxNames.decode(c.astring(), utf8);
            if (decoded == null) {
                throw c.error("Mailbox name is not valid modified UTF-7");
            }
            return decoded;
        }

        private String mailboxPattern(String wire) throws ImapParseException {
            String decoded = wire.isEmpty() ? wire : MailboxNames.decode(wire, utf8);
            if (decoded == null) {
                throw c.error("Mailbox pattern is not valid modified UTF-7");
            }
            return decoded;
        }
    }

    static SystemFlag systemFlagNamed(String name) {
        for (SystemFlag f : SystemFlag.values()) {
            if (f.imapName().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
