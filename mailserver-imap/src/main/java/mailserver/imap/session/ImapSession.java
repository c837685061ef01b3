package mailserver.imap.session;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import mailserver.auth.AuthService;
import mailserver.auth.directory.AccountInfo;
import mailserver.auth.sasl.Credentials;
import mailserver.auth.sasl.SaslException;
import mailserver.auth.sasl.SaslExchange;
import mailserver.auth.sasl.SaslStep;
import mailserver.auth.sasl.ScramContext;
import mailserver.imap.parse.Command;
import mailserver.imap.parse.FetchAttribute;
import mailserver.imap.parse.ImapParseException;
import mailserver.imap.parse.MailboxNames;
import mailserver.imap.parse.SequenceSet;
import mailserver.imap.response.FlagsFormat;
import mailserver.imap.response.ResponseWriter;
import mailserver.store.ChangeListener;
import mailserver.store.Folder;
import mailserver.store.FolderSnapshot;
import mailserver.store.MailStore;
import mailserver.store.Mailbox;
import mailserver.store.MessageRef;
import mailserver.store.Quota;
import mailserver.store.StoreException;
import mailserver.store.SystemFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's IMAP session (RFC 3501, RFC 9051): its state (not authenticated, authenticated,
 * selected, logout) and every command. Methods that take a command run on a worker thread, one at
 * a time, and write their responses to the {@link ResponseWriter}; the connection handler reads
 * the returned {@link Next} to know how to read on. Untagged news from other sessions is sent
 * before a command's tagged response, and while the client IDLEs.
 */
public final class ImapSession {

    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);

    /** What the connection reads next. */
    public enum Next {
        /** a command */
        COMMAND,
        /** a line answering an AUTHENTICATE challenge */
        SASL,
        /** {@code DONE}; meanwhile news is pushed with {@link #idleUpdate()} */
        IDLE,
        /** nothing before the TLS handshake: send {@link #startTlsReply()} through the TLS upgrade */
        START_TLS,
        /** the OK to COMPRESS is out: everything after it is deflated both ways (RFC 4978) */
        COMPRESS,
        /** the session is over: flush and close */
        CLOSE
    }

    /** The login checker and the store a session works with. */
    public record Services(AuthService auth, MailStore store, Path maildirRoot) {
    }

    private final ImapSettings settings;
    private final Services services;
    private final InetAddress client;
    private final ResponseWriter out;
    private final SessionOptions options = new SessionOptions();
    private final List<Long> savedUids = new ArrayList<>();
    private final ChangeListener changes = new ChangeListener() {
        @Override
        public void messagesAdded(Folder folder, List<MessageRef> added) {
            wake();
        }

        @Override
        public void flagsChanged(Folder folder, List<MessageRef> changed) {
            wake();
        }

        @Override
        public void messagesExpunged(Folder folder, List<Long> uids) {
            wake();
        }
    };
    private volatile Runnable wakeUp = () -> { };
    private volatile boolean idling;
    private boolean tls;
    private boolean compressed;
    private AccountInfo account;
    private Mailbox mailbox;
    private SelectedMailbox selected;
    private SaslExchange sasl;
    private String pendingTag;
    private int badInARow;
    private Duration replyDelay = Duration.ZERO;

    public ImapSession(ImapSettings settings, Services services, InetAddress client, boolean tls, ResponseWriter out) {
        this.settings = settings;
        this.services = services;
        this.client = client;
        this.tls = tls;
        this.out = out;
    }

    /** Called (from any thread) when the selected folder changed while the client IDLEs; the handler then calls {@link #idleUpdate()}. */
    public void onChange(Runnable wake) {
        this.wakeUp = wake;
    }

    private void wake() {
        if (idling) {
            wakeUp.run();
        }
    }

    public boolean utf8() {
        return options.utf8;
    }

    public void greeting() throws IOException {
        out.status("OK", "CAPABILITY " + Capabilities.of(settings, tls, false), settings.hostname() + " IMAP ready");
        out.flush();
    }

    /** The TLS handshake after STARTTLS succeeded: capabilities change, nothing else carries over. */
    public void tlsStarted() {
        tls = true;
    }

    /** The tagged OK for STARTTLS, written by the TLS upgrade as the last cleartext. */
    public String startTlsReply() {
        return pendingTag + " OK Begin TLS negotiation now\r\n";
    }

    /** A command the parser refused: BAD, and BYE after too many in a row. */
    public Next bad(ImapParseException e) throws IOException {
        String tag = e.tag() == null ? "*" : e.tag();
        out.tagged(tag, "BAD", e.responseCode(), e.getMessage());
        if (++badInARow >= settings.maxBadCommands()) {
            out.status("BYE", null, "Too many invalid commands");
            out.flush();
            return Next.CLOSE;
        }
        return Next.COMMAND;
    }

    /** The session ends (LOGOUT, connection closed, shutdown): stop listening for changes. */
    public void close() {
        deselect();
    }

    /** {@code * BYE} for a server shutdown or an idle timeout. */
    public void bye(String text) throws IOException {
        out.status("BYE", null, text);
        out.flush();
    }

    public Next execute(Command command) throws IOException {
        Done done;
        Next next = Next.COMMAND;
        try {
            if (command instanceof Command.Simple simple && simple.name().equals("LOGOUT")) {
                out.status("BYE", null, "Logging out");
                out.tagged(command.tag(), "OK", null, "LOGOUT completed");
                deselect();
                return Next.CLOSE;
            }
            if (command instanceof Command.Simple simple && simple.name().equals("STARTTLS")) {
                if (tls || settings.implicitTls()) {
                    done = Done.bad("TLS is already active");
                } else if (account != null) {
                    done = Done.bad("STARTTLS is only allowed before authentication");
                } else {
                    pendingTag = command.tag();
                    badInARow = 0;
                    return Next.START_TLS;
                }
            } else if (command instanceof Command.Simple simple && simple.name().equals("IDLE") && account != null) {
                pendingTag = command.tag();
                idling = true;
                if (selected != null) {
                    selected.refresh();
                    report(true);
                }
                out.continuation("idling");
                return Next.IDLE;
            } else if (command instanceof Command.Simple simple && simple.name().equals("COMPRESS") && account != null) {
                if (compressed) {
                    done = Done.no("COMPRESSIONACTIVE", "DEFLATE is already active");
                } else {
                    compressed = true;
                    out.tagged(command.tag(), "OK", null, "DEFLATE active");
                    return Next.COMPRESS;
                }
            } else if (command instanceof Command.Authenticate auth && account == null) {
                return authenticate(auth);
            } else {
                done = dispatch(command);
            }
        } catch (IndexOutOfBoundsException e) {
            done = Done.bad("Invalid message number: " + e.getMessage());
        } catch (StoreException e) {
            done = StoreErrors.no(e, false);
        } catch (IOException e) {
            log.error("{} failed", command.name(), e);
            done = Done.no("SERVERBUG", "Internal error, try again later");
        }
        badInARow = done.status().equals("BAD") ? badInARow + 1 : 0;
        if (selected != null) {
            try {
                selected.refresh();
                if (selected.uidValidityChanged()) {
                    return uidValidityLost();
                }
                report(expungeAllowed(command));
            } catch (StoreException e) {
                // The folder was deleted or renamed: the client sees its messages go; it may select another.
                log.debug("selected folder is gone: {}", e.getMessage());
            }
        }
        finish(command.tag(), done);
        if (badInARow >= settings.maxBadCommands()) {
            bye("Too many invalid commands");
            next = Next.CLOSE;
        }
        return next;
    }

    /**
     * Writes the tagged response; after a failed login it stays buffered for the throttle's delay,
     * which the connection handler waits out on its event loop before {@link #flush()}.
     */
    private void finish(String tag, Done done) throws IOException {
        if (replyDelay.isZero()) {
            out.tagged(tag, done.status(), done.code(), done.text());
            return;
        }
        out.raw(tag).sp().raw(done.status()).sp();
        if (done.code() != null) {
            out.raw("[").raw(done.code()).raw("] ");
        }
        out.raw(done.text()).crlf();
    }

    /** How long to hold back the response just written (a failed login); read once. */
    public Duration takeReplyDelay() {
        Duration delay = replyDelay;
        replyDelay = Duration.ZERO;
        return delay;
    }

    /** Sends what is buffered (the delayed response). */
    public void flush() throws IOException {
        out.flush();
    }

    /** The selected folder's UIDs are no longer valid: the client must start over, so the session ends. */
    private Next uidValidityLost() throws IOException {
        log.warn("UIDVALIDITY of {} changed while selected; closing the session", selected.folder.name());
        deselect();
        bye("Mailbox UIDVALIDITY changed, please reconnect");
        return Next.CLOSE;
    }

    /** RFC 3501 7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH by message number. */
    private static boolean expungeAllowed(Command command) {
        return !(command instanceof Command.Fetch f && !f.uid()) && !(command instanceof Command.Store s && !s.uid())
                && !(command instanceof Command.Search s2 && !s2.uid()) && !(command instanceof Command.Sort s3 && !s3.uid())
                && !(command instanceof Command.ThreadMessages t && !t.uid());
    }

    private void report(boolean expungeAllowed) throws IOException {
        selected.report(out, expungeAllowed, options.qresync, options.condstore, false);
    }

    private Done dispatch(Command command) throws IOException {
        if (command instanceof Command.Simple simple) {
            switch (simple.name()) {
                case "CAPABILITY":
                    out.untagged("CAPABILITY " + Capabilities.of(settings, tls, account != null));
                    return Done.ok("CAPABILITY completed");
                case "NOOP":
                    return Done.ok("NOOP completed");
                default:
                    break;
            }
        }
        if (command instanceof Command.Id) {
            out.raw("* ID (\"name\" \"mailserver\" \"vendor\" \"mailserver\")").crlf();
            return Done.ok("ID completed");
        }
        if (account == null) {
            if (command instanceof Command.Login login) {
                return login(login);
            }
            return Done.bad("Log in first");
        }
        if (command instanceof Command.Login || command instanceof Command.Authenticate) {
            return Done.bad("Already logged in");
        }
        MailboxCommands mailboxes = new MailboxCommands(mailbox, out, settings.limits().maxLiteralSize());
        if (command instanceof Command.Enable enable) {
            return enable(enable);
        }
        if (command instanceof Command.Select select) {
            return select(select);
        }
        if (command instanceof Command.OnMailbox on) {
            return switch (on.name()) {
                case "CREATE" -> mailboxes.create(on.mailbox());
                case "DELETE" -> delete(mailboxes, on.mailbox());
                case "SUBSCRIBE" -> mailboxes.subscribe(on.mailbox(), true);
                case "UNSUBSCRIBE" -> mailboxes.subscribe(on.mailbox(), false);
                case "GETQUOTAROOT" -> mailboxes.quotaRoot(on.mailbox());
                default -> throw new IllegalStateException(on.name());
            };
        }
        if (command instanceof Command.Rename rename) {
            return mailboxes.rename(rename.from(), rename.to());
        }
        if (command instanceof Command.ListMailboxes list) {
            return mailboxes.list(list);
        }
        if (command instanceof Command.Status status) {
            return mailboxes.status(status.mailbox(), status.items());
        }
        if (command instanceof Command.Append append) {
            return mailboxes.append(append);
        }
        if (command instanceof Command.GetQuota quota) {
            return mailboxes.quota(quota.root());
        }
        if (command instanceof Command.Simple simple && simple.name().equals("NAMESPACE")) {
            out.raw("* NAMESPACE ((\"\" \"").raw(String.valueOf(MailboxCommands.DELIMITER)).raw("\")) NIL NIL").crlf();
            return Done.ok("NAMESPACE completed");
        }
        if (selected == null) {
            return Done.bad("No mailbox selected");
        }
        return selectedCommand(command);
    }

    private Done selectedCommand(Command command) throws IOException {
        MessageCommands messages = new MessageCommands(selected, out, options);
        if (command instanceof Command.Simple simple) {
            switch (simple.name()) {
                case "CHECK":
                    return Done.ok("CHECK completed");
                case "CLOSE":
                    messages.expungeSilently();
                    deselect();
                    return Done.ok("CLOSE completed");
                case "UNSELECT":
                    deselect();
                    return Done.ok("UNSELECT completed");
                case "EXPUNGE":
                    return messages.expunge(null);
                default:
                    return Done.bad("Unknown command " + simple.name());
            }
        }
        if (command instanceof Command.UidExpunge expunge) {
            return messages.expunge(expunge.set());
        }
        if (command instanceof Command.Fetch f) {
            return messages.fetch(new Command.Fetch(f.tag(), f.uid(), saved(f.set(), f.uid()), f.attributes(), f.changedSince(),
                    f.vanished()));
        }
        if (command instanceof Command.Store st) {
            return messages.store(new Command.Store(st.tag(), st.uid(), saved(st.set(), st.uid()), st.unchangedSince(), st.mode(),
                    st.silent(), st.flags()));
        }
        if (command instanceof Command.Search search) {
            return messages.search(search, savedUids);
        }
        if (command instanceof Command.Sort sort) {
            return messages.sort(sort, savedUids);
        }
        if (command instanceof Command.ThreadMessages thread) {
            return messages.thread(thread, savedUids);
        }
        if (command instanceof Command.Copy copy) {
            return messages.copy(new Command.Copy(copy.tag(), copy.uid(), copy.move(), saved(copy.set(), copy.uid()),
                    copy.mailbox()), mailbox);
        }
        return Done.bad("Command not valid here");
    }

    /**
     * {@code $} (RFC 5182) stands for the UIDs the last SEARCH RETURN (SAVE) found: as UIDs in UID
     * commands, as their current message numbers otherwise. Any other set is returned as it is.
     */
    private SequenceSet saved(SequenceSet set, boolean uid) {
        if (!set.saved()) {
            return set;
        }
        List<SequenceSet.Range> ranges = new ArrayList<>();
        for (long u : savedUids) {
            long n = uid ? u : selected.seqOf(u);
            if (n > 0) {
                ranges.add(new SequenceSet.Range(n, n));
            }
        }
        // An empty result matches nothing: a UID no message can have (a number beyond the mailbox would be BAD).
        return ranges.isEmpty() ? SequenceSet.of(0xffffffffL, 0xffffffffL) : SequenceSet.of(ranges);
    }

    // ---- authentication ----

    private Done login(Command.Login login) throws IOException {
        if (!tls && !settings.plaintextAuth()) {
            return Done.no("PRIVACYREQUIRED", "Use STARTTLS before LOGIN");
        }
        return checkCredentials(login.user(), login.password().toCharArray());
    }

    private Next authenticate(Command.Authenticate auth) throws IOException {
        Done done;
        Optional<SaslExchange> exchange = offered(auth.mechanism())
                ? SaslExchange.start(auth.mechanism(), new ScramContext(services.auth(), client, "imap"))
                : Optional.empty();
        if (!tls && !settings.plaintextAuth()) {
            done = Done.no("PRIVACYREQUIRED", "Use STARTTLS before AUTHENTICATE");
        } else if (exchange.isEmpty()) {
            done = Done.no("CANNOT", "Unsupported mechanism " + auth.mechanism());
        } else {
            pendingTag = auth.tag();
            sasl = exchange.get();
            return saslStep(() -> sasl.begin(Optional.ofNullable(auth.initialResponse())));
        }
        out.tagged(auth.tag(), done.status(), done.code(), done.text());
        return Next.COMMAND;
    }

    private boolean offered(String mechanism) {
        return settings.authMechanisms().stream().anyMatch(mechanism::equalsIgnoreCase);
    }

    /** One line of the client during AUTHENTICATE. */
    public Next saslLine(String line) throws IOException {
        return saslStep(() -> sasl.respond(line));
    }

    private interface SaslCall {
        SaslStep call() throws SaslException;
    }

    private Next saslStep(SaslCall call) throws IOException {
        SaslStep step;
        try {
            step = call.call();
        } catch (SaslException e) {
            sasl = null;
            boolean refused = e.reason() == SaslException.Reason.AUTHZID_MISMATCH;
            out.tagged(pendingTag, refused ? "NO" : "BAD", refused ? "AUTHORIZATIONFAILED" : null, e.getMessage());
            return Next.COMMAND;
        }
        if (step instanceof SaslStep.Challenge challenge) {
            out.continuation(challenge.base64());
            return Next.SASL;
        }
        sasl = null;
        if (step instanceof SaslStep.Verified verified) {
            finish(pendingTag, loggedIn(verified.result()));
            return Next.COMMAND;
        }
        Credentials credentials = ((SaslStep.Complete) step).credentials();
        finish(pendingTag, checkCredentials(credentials.username(), credentials.password()));
        return Next.COMMAND;
    }

    private Done checkCredentials(String user, char[] password) throws IOException {
        return loggedIn(services.auth().authenticate(user, password, client, "imap"));
    }

    private Done loggedIn(AuthService.Result result) throws IOException {
        switch (result.outcome()) {
            case UNAVAILABLE:
                return Done.no("UNAVAILABLE", "Authentication is unavailable, try again later");
            case FAILED:
            case LOCKED_OUT:
                replyDelay = result.replyDelay();
                return Done.no("AUTHENTICATIONFAILED", "Authentication failed");
            default:
                break;
        }
        AccountInfo info = result.account().orElseThrow();
        Path maildir = info.maildir() == null || info.maildir().isBlank()
                ? MailStore.defaultAccountMaildir(services.maildirRoot(), info.address().domain(), info.address().localPart())
                : MailStore.accountMaildir(services.maildirRoot(), info.maildir());
        mailbox = services.store().open(maildir, new Quota(info.quotaBytes(), info.quotaMessages()));
        new MailboxCommands(mailbox, out, settings.limits().maxLiteralSize()).createSpecialUseFolders();
        account = info;
        log.info("login: user={}, rip={}, tls={}", info.address(), client.getHostAddress(), tls);
        return Done.ok("CAPABILITY " + Capabilities.of(settings, tls, true), "Logged in");
    }

    // ---- authenticated state ----

    private Done enable(Command.Enable enable) throws IOException {
        List<String> enabled = new ArrayList<>();
        for (String capability : enable.capabilities()) {
            switch (capability) {
                case "CONDSTORE" -> options.condstore = true;
                case "QRESYNC" -> {
                    options.qresync = true;
                    options.condstore = true;
                }
                case "UTF8=ACCEPT" -> {
                    options.utf8 = true;
                    out.utf8(true);
                }
                case "IMAP4REV2" -> options.imap4rev2 = true;
                default -> {
                    continue; // RFC 5161: unknown ones are ignored
                }
            }
            enabled.add(capability);
        }
        out.untagged(enabled.isEmpty() ? "ENABLED" : "ENABLED " + String.join(" ", enabled));
        return Done.ok("ENABLE completed");
    }

    private Done select(Command.Select select) throws IOException {
        if (selected != null) {
            deselect();
            if (options.qresync) {
                out.status("OK", "CLOSED", "Previous mailbox closed");
            }
        }
        if (select.condstore()) {
            options.condstore = true;
        }
        if (select.qresync() != null && !options.qresync) {
            return Done.bad("QRESYNC must be enabled first");
        }
        Folder folder;
        try {
            folder = mailbox.folder(select.mailbox());
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        FolderSnapshot snapshot = folder.sync();
        TreeSet<String> keywords = new TreeSet<>();
        int firstUnseen = 0;
        for (int i = 0; i < snapshot.messages().size(); i++) {
            MessageRef m = snapshot.messages().get(i);
            keywords.addAll(m.flags().keywords());
            if (firstUnseen == 0 && !m.flags().contains(SystemFlag.SEEN)) {
                firstUnseen = i + 1;
            }
        }
        String flags = FlagsFormat.SYSTEM_FLAGS + (keywords.isEmpty() ? "" : " " + String.join(" ", keywords));
        out.untagged("FLAGS (" + flags + ")");
        out.status("OK", "PERMANENTFLAGS (" + (select.readOnly() ? "" : FlagsFormat.SYSTEM_FLAGS + " \\*") + ")", "Flags permitted");
        out.untagged(snapshot.messages().size() + " EXISTS");
        if (!options.imap4rev2) {
            out.untagged("0 RECENT");
            if (firstUnseen > 0) {
                out.status("OK", "UNSEEN " + firstUnseen, "First unseen");
            }
        }
        out.status("OK", "UIDVALIDITY " + snapshot.uidValidity(), "UIDs valid");
        out.status("OK", "UIDNEXT " + snapshot.uidNext(), "Predicted next UID");
        if (options.condstore) {
            out.status("OK", "HIGHESTMODSEQ " + snapshot.highestModseq(), "Highest");
        }
        if (options.imap4rev2) {
            out.raw("* LIST () \"").raw(String.valueOf(MailboxCommands.DELIMITER)).raw("\" ")
                    .astring(MailboxNames.encode(folder.name(), options.utf8)).crlf();
        }
        selected = new SelectedMailbox(folder, select.readOnly(), snapshot);
        savedUids.clear();
        folder.addListener(changes);
        if (select.qresync() != null && select.qresync().uidValidity() == snapshot.uidValidity()) {
            qresync(select.qresync(), snapshot);
        }
        return Done.ok(select.readOnly() ? "READ-ONLY" : "READ-WRITE", select.name() + " completed");
    }

    /** RFC 7162 3.2.5: what changed since the client's modseq, as VANISHED (EARLIER) and FETCH. */
    private void qresync(Command.Qresync q, FolderSnapshot snapshot) throws IOException {
        SequenceSet known = q.knownUids() != null ? q.knownUids() : SequenceSet.of(1, SequenceSet.STAR);
        MessageCommands messages = new MessageCommands(selected, out, options);
        messages.fetch(new Command.Fetch(pendingTag, true, known,
                List.of(FetchAttribute.Simple.UID, FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.MODSEQ), q.modseq(), true));
    }

    private Done delete(MailboxCommands mailboxes, String name) throws IOException {
        if (selected != null && selected.folder.name().equals(name)) {
            deselect();
        }
        return mailboxes.delete(name);
    }

    private void deselect() {
        if (selected != null) {
            selected.folder.removeListener(changes);
            selected = null;
            savedUids.clear();
        }
    }

    // ---- IDLE ----

    /**
     * Whether the periodic look for other processes' changes is due while idling: not when any
     * session looked at the folder within {@code nanos}, as whatever that found was pushed to
     * every session. Runs on the event loop: no I/O, nothing allocated.
     */
    public boolean idlePollDue(long nanos) {
        SelectedMailbox s = selected;
        return s != null && !s.folder.lookedWithin(nanos);
    }

    /** News while idling: sent at once, as RFC 2177 allows any untagged response. Runs on a worker. */
    public Next idleUpdate() throws IOException {
        if (idling && selected != null) {
            try {
                selected.refresh();
                if (selected.uidValidityChanged()) {
                    return uidValidityLost();
                }
                report(true);
            } catch (StoreException e) {
                log.debug("selected folder is gone: {}", e.getMessage());
            }
            out.flush();
        }
        return Next.IDLE;
    }

    /** A line while idling: {@code DONE} ends IDLE; anything else is a protocol error. */
    public Next idleLine(String line) throws IOException {
        idling = false;
        if (!line.equalsIgnoreCase("DONE")) {
            out.tagged(pendingTag, "BAD", null, "Expected DONE");
            return Next.COMMAND;
        }
        if (selected != null) {
            try {
                selected.refresh();
                report(true);
            } catch (StoreException e) {
                log.debug("selected folder is gone: {}", e.getMessage());
            }
        }
        out.tagged(pendingTag, "OK", null, "IDLE terminated");
        return Next.COMMAND;
    }
}
