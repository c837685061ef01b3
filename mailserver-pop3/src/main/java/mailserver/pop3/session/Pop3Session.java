package mailserver.pop3.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import mailserver.auth.AuthService;
import mailserver.auth.sasl.Credentials;
import mailserver.auth.sasl.SaslException;
import mailserver.auth.sasl.SaslExchange;
import mailserver.auth.sasl.SaslStep;
import mailserver.pop3.command.Command;
import mailserver.pop3.command.CommandParser;
import mailserver.pop3.command.InvalidCommandException;
import mailserver.pop3.command.Numbers;
import mailserver.pop3.message.MessageEncoder;
import mailserver.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 conversation (RFC 1939, CAPA and response codes RFC 2449, STLS RFC 2595, AUTH
 * RFC 5034, AUTH-RESP-CODE RFC 3206): the AUTHORIZATION and TRANSACTION states, and the UPDATE
 * state inside QUIT. It turns each line into a {@link Step}; the connection handler sends it.
 *
 * <p>{@link #line} may block (directory, password hashing, Maildir): the handler calls it on a
 * worker thread, one line at a time. Nothing here touches the network.
 */
public final class Pop3Session {

    /** The user name a client may give with USER; the SASL mechanisms have the same limit. */
    static final int MAX_USERNAME = 320;
    static final String PROTOCOL = "pop3";

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);

    private static final Reply PLAINTEXT_DISALLOWED =
            Reply.err(Reply.Code.AUTH, "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
    private static final Reply AUTH_FAILED = Reply.err(Reply.Code.AUTH, "Authentication failed.");

    private final Pop3Settings settings;
    private final AuthService auth;
    private final Maildrops maildrops;
    private final InetAddress client;
    private boolean tls;
    private String user;
    private String loggedInAs;
    private SaslExchange sasl;
    private Maildrop maildrop;
    private int badCommands;
    private int authFailures;
    private final SessionCounters counters = new SessionCounters();

    /** @param tls whether the connection is already encrypted (an implicit-TLS listener) */
    public Pop3Session(Pop3Settings settings, AuthService auth, Maildrops maildrops, InetAddress client, boolean tls) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.maildrops = Objects.requireNonNull(maildrops, "maildrops");
        this.client = Objects.requireNonNull(client, "client");
        this.tls = tls;
    }

    public Reply greeting() {
        return Reply.ok(settings.hostname() + " POP3 ready.");
    }

    /** The goodbye when the server shuts down. */
    public Reply shuttingDown() {
        return Reply.err(Reply.Code.SYS_TEMP, "Server shutting down.");
    }

    /** The goodbye after the idle timeout. */
    public Reply idle() {
        return Reply.err("Disconnected for inactivity.");
    }

    /** One line from the client, line ending removed. Blocking. */
    public Step line(String line) {
        if (sasl != null) {
            return saslResponse(line);
        }
        Command command;
        try {
            command = CommandParser.parse(line);
        } catch (InvalidCommandException e) {
            return bad(e.getMessage() + ".");
        }
        try {
            return maildrop == null ? authorization(command) : transaction(command);
        } catch (InvalidCommandException e) {
            return bad(e.getMessage() + ".");
        }
    }

    /** A line over the framing limit, which was dropped. */
    public Step lineTooLong() {
        if (sasl != null) {
            sasl = null;
            return bad("Authentication response too long.");
        }
        return bad("Line too long.");
    }

    /** A line that is not UTF-8. */
    public Step undecodableLine() {
        sasl = null;
        return bad("Invalid characters in the command.");
    }

    /** TLS is up after STLS: what was said before it is forgotten (RFC 2595 4). */
    public void tlsStarted() {
        tls = true;
        user = null;
    }

    /** The connection is gone (QUIT, drop, timeout): no message is deleted unless QUIT committed. */
    public void close() {
        if (maildrop != null) {
            maildrop.close();
            maildrop = null;
            LOG.info("logout: user=<{}>, {}", loggedInAs, counters);
        }
    }

    // ---- AUTHORIZATION ----

    private Step authorization(Command command) throws InvalidCommandException {
        return switch (command.keyword()) {
            case "CAPA" -> capa(command);
            case "QUIT" -> quitUnauthenticated(command);
            case "STLS" -> stls(command);
            case "USER" -> user(command);
            case "PASS" -> pass(command);
            case "AUTH" -> authenticate(command);
            case "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL" -> bad("Not logged in.");
            default -> bad("Unknown command.");
        };
    }

    private Step capa(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        List<String> capabilities = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE"));
        if (maildrop == null) {
            if (!tls) {
                capabilities.add("STLS");
            }
            if (plaintextAllowed()) {
                capabilities.add("USER");
                capabilities.add("SASL " + String.join(" ", SaslExchange.MECHANISMS));
            }
        }
        return Step.reply(Reply.multiLine("", capabilities));
    }

    private Step quitUnauthenticated(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        return Step.close(Reply.ok("Logging out."));
    }

    private Step stls(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        if (tls) {
            return bad("TLS is already active.");
        }
        return new Step(Reply.ok("Begin TLS negotiation now."), Step.Next.START_TLS, Duration.ZERO, Optional.empty());
    }

    private Step user(Command command) throws InvalidCommandException {
        arguments(command, 1, 1);
        if (!plaintextAllowed()) {
            return bad(PLAINTEXT_DISALLOWED);
        }
        String name = command.argument(0);
        if (name.isEmpty() || name.length() > MAX_USERNAME) {
            return bad("Invalid user name.");
        }
        user = name;
        return Step.reply(Reply.ok(""));
    }

    private Step pass(Command command) throws InvalidCommandException {
        arguments(command, 1, 1);
        if (!plaintextAllowed()) {
            return bad(PLAINTEXT_DISALLOWED);
        }
        if (user == null) {
            return bad("No username given.");
        }
        String name = user;
        user = null;
        return login(name, command.argument(0).toCharArray());
    }

    private Step authenticate(Command command) throws InvalidCommandException {
        arguments(command, 0, 2);
        if (!plaintextAllowed()) {
            return bad(PLAINTEXT_DISALLOWED);
        }
        if (command.arguments().isEmpty()) {
            // Not in RFC 5034, but Outlook and others ask this way (RFC 1734 servers listed the mechanisms).
            return Step.reply(Reply.multiLine("", SaslExchange.MECHANISMS));
        }
        Optional<SaslExchange> exchange = SaslExchange.start(command.argument(0));
        if (exchange.isEmpty()) {
            return bad("Unsupported authentication mechanism.");
        }
        sasl = exchange.get();
        Optional<String> initialResponse = command.arguments().size() == 2 ? Optional.of(command.argument(1)) : Optional.empty();
        try {
            return saslStep(sasl.begin(initialResponse));
        } catch (SaslException e) {
            return saslFailed(e);
        }
    }

    private Step saslResponse(String line) {
        try {
            return saslStep(sasl.respond(line));
        } catch (SaslException e) {
            return saslFailed(e);
        }
    }

    private Step saslStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge challenge) {
            return Step.reply(Reply.continuation(challenge.base64()));
        }
        sasl = null;
        Credentials credentials = ((SaslStep.Complete) step).credentials();
        return login(credentials.username(), credentials.password());
    }

    private Step saslFailed(SaslException e) {
        sasl = null;
        return switch (e.reason()) {
            case CANCELLED -> Step.reply(Reply.err("Authentication cancelled."));
            case AUTHZID_MISMATCH -> bad(Reply.err(Reply.Code.AUTH, e.getMessage() + "."));
            case MALFORMED, TOO_LONG -> bad(e.getMessage() + ".");
        };
    }

    private Step login(String username, char[] password) {
        AuthService.Result result = auth.authenticate(username, password, client, PROTOCOL);
        switch (result.outcome()) {
            case SUCCESS -> {
                return openMaildrop(username, result);
            }
            case FAILED -> {
                return authFailed(AUTH_FAILED, result.replyDelay());
            }
            case LOCKED_OUT -> {
                return authFailed(Reply.err(Reply.Code.SYS_TEMP, "Too many failed logins, try again later."), result.replyDelay());
            }
            case UNAVAILABLE -> {
                return Step.reply(Reply.err(Reply.Code.SYS_TEMP, "Authentication is temporarily unavailable, try again later."));
            }
            default -> throw new IllegalStateException(result.outcome().name());
        }
    }

    private Step authFailed(Reply reply, Duration delay) {
        authFailures++;
        Step.Next next = authFailures >= settings.maxAuthFailures() ? Step.Next.CLOSE : Step.Next.READ;
        return new Step(reply, next, delay, Optional.empty());
    }

    private Step openMaildrop(String username, AuthService.Result result) {
        try {
            maildrop = maildrops.open(result.account().orElseThrow());
        } catch (MaildropInUseException e) {
            return Step.reply(Reply.err(Reply.Code.IN_USE, "Mailbox is locked by another POP3 session."));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot open the mailbox of {}: {}", username, e.toString());
            return Step.reply(Reply.err(Reply.Code.SYS_TEMP, "Cannot open the mailbox, try again later."));
        }
        loggedInAs = result.account().get().address().toString();
        LOG.info("login: user=<{}>, messages={}, size={}", loggedInAs, maildrop.count(), maildrop.size());
        return Step.reply(Reply.ok("Logged in."));
    }

    private boolean plaintextAllowed() {
        return tls || settings.allowPlaintextAuth();
    }

    // ---- TRANSACTION ----

    private Step transaction(Command command) throws InvalidCommandException {
        return switch (command.keyword()) {
            case "CAPA" -> capa(command);
            case "QUIT" -> quit(command);
            case "STAT" -> stat(command);
            case "LIST" -> list(command);
            case "UIDL" -> uidl(command);
            case "RETR" -> retr(command);
            case "TOP" -> top(command);
            case "DELE" -> dele(command);
            case "NOOP" -> noop(command);
            case "RSET" -> rset(command);
            case "USER", "PASS", "AUTH", "STLS" -> bad("Already logged in.");
            default -> bad("Unknown command.");
        };
    }

    private Step stat(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        return Step.reply(Reply.ok(maildrop.count() + " " + maildrop.size()));
    }

    private Step list(Command command) throws InvalidCommandException {
        arguments(command, 0, 1);
        if (command.arguments().size() == 1) {
            int number = Numbers.messageNumber(command.argument(0));
            Reply missing = missing(number);
            return Step.reply(missing != null ? missing : Reply.ok(number + " " + maildrop.size(number)));
        }
        List<String> lines = new ArrayList<>(maildrop.count());
        for (int n = 1; n <= maildrop.highest(); n++) {
            if (!maildrop.isDeleted(n)) {
                lines.add(n + " " + maildrop.size(n));
            }
        }
        return Step.reply(Reply.multiLine(maildrop.count() + " messages (" + maildrop.size() + " octets)", lines));
    }

    private Step uidl(Command command) throws InvalidCommandException {
        arguments(command, 0, 1);
        if (command.arguments().size() == 1) {
            int number = Numbers.messageNumber(command.argument(0));
            Reply missing = missing(number);
            return Step.reply(missing != null ? missing : Reply.ok(number + " " + maildrop.uidl(number)));
        }
        List<String> lines = new ArrayList<>(maildrop.count());
        for (int n = 1; n <= maildrop.highest(); n++) {
            if (!maildrop.isDeleted(n)) {
                lines.add(n + " " + maildrop.uidl(n));
            }
        }
        return Step.reply(Reply.multiLine("", lines));
    }

    private Step retr(Command command) throws InvalidCommandException {
        arguments(command, 1, 1);
        int number = Numbers.messageNumber(command.argument(0));
        Step step = send(number, true, Reply.ok(messageSize(number) + " octets"), MessageEncoder.whole());
        if (step.body().isPresent()) {
            counters.retrieved(maildrop.size(number));
        }
        return step;
    }

    private Step top(Command command) throws InvalidCommandException {
        arguments(command, 2, 2);
        int number = Numbers.messageNumber(command.argument(0));
        long lines = Numbers.lineCount(command.argument(1));
        Step step = send(number, false, Reply.ok(""), MessageEncoder.top(lines));
        if (step.body().isPresent()) {
            counters.topped(maildrop.size(number));
        }
        return step;
    }

    private long messageSize(int number) {
        return maildrop.exists(number) ? maildrop.size(number) : 0;
    }

    private Step send(int number, boolean retr, Reply ok, MessageEncoder encoder) {
        Reply missing = missing(number);
        if (missing != null) {
            return Step.reply(missing);
        }
        InputStream content;
        try {
            content = maildrop.open(number, retr);
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NO_SUCH_MESSAGE) {
                return Step.reply(Reply.err("Message " + number + " was expunged by another session."));
            }
            LOG.warn("cannot read message {}: {}", number, e.toString());
            return Step.reply(Reply.err(Reply.Code.SYS_TEMP, "Cannot read the message, try again later."));
        } catch (IOException e) {
            LOG.warn("cannot read message {}: {}", number, e.toString());
            return Step.reply(Reply.err(Reply.Code.SYS_TEMP, "Cannot read the message, try again later."));
        }
        return new Step(ok, Step.Next.READ, Duration.ZERO, Optional.of(new MessageBody(content, encoder)));
    }

    private Step dele(Command command) throws InvalidCommandException {
        arguments(command, 1, 1);
        int number = Numbers.messageNumber(command.argument(0));
        Reply missing = missing(number);
        if (missing != null) {
            return Step.reply(missing);
        }
        maildrop.delete(number);
        return Step.reply(Reply.ok("Marked to be deleted."));
    }

    private Step noop(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        return Step.reply(Reply.ok(""));
    }

    private Step rset(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        maildrop.reset();
        return Step.reply(Reply.ok("maildrop has " + maildrop.count() + " messages (" + maildrop.size() + " octets)"));
    }

    /** The UPDATE state (RFC 1939 6): only here are messages removed. */
    private Step quit(Command command) throws InvalidCommandException {
        arguments(command, 0, 0);
        int marked = maildrop.highest() - maildrop.count();
        try {
            List<Long> removed = maildrop.commit();
            counters.deleted(removed.size(), marked);
        } catch (IOException | RuntimeException e) {
            LOG.warn("QUIT could not update the mailbox of {}: {}", loggedInAs, e.toString());
            close();
            return Step.close(Reply.err(Reply.Code.SYS_TEMP, "Could not update the mailbox, messages may not be deleted."));
        }
        close();
        return Step.close(Reply.ok(marked > 0 ? "Logging out, messages deleted." : "Logging out."));
    }

    /** The error for a message number that does not exist or is marked deleted, or null. */
    private Reply missing(int number) {
        if (!maildrop.exists(number)) {
            return Reply.err("There's no message " + number + ".");
        }
        return maildrop.isDeleted(number) ? Reply.err("Message is deleted.") : null;
    }

    // ---- errors ----

    private static void arguments(Command command, int min, int max) throws InvalidCommandException {
        int given = command.arguments().size();
        if (given < min) {
            throw new InvalidCommandException(command.keyword() + " needs " + (min == 1 ? "an argument" : min + " arguments"));
        }
        if (given > max) {
            throw new InvalidCommandException(max == 0 ? command.keyword() + " takes no arguments"
                    : command.keyword() + " takes at most " + max + (max == 1 ? " argument" : " arguments"));
        }
    }

    private Step bad(String text) {
        return bad(Reply.err(text));
    }

    /** A command the client should not have sent; too many of them end the connection. */
    private Step bad(Reply reply) {
        badCommands++;
        if (badCommands >= settings.maxBadCommands()) {
            LOG.info("closing after {} bad commands from {}", badCommands, client.getHostAddress());
            return Step.close(Reply.err("Too many bad commands."));
        }
        return Step.reply(reply);
    }
}
