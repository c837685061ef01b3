package mailserver.smtp.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import mailserver.auth.AuthService;
import mailserver.auth.sasl.Credentials;
import mailserver.auth.sasl.SaslException;
import mailserver.auth.sasl.SaslExchange;
import mailserver.auth.sasl.SaslStep;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.command.BodyType;
import mailserver.smtp.command.Command;
import mailserver.smtp.command.CommandParser;
import mailserver.smtp.command.InvalidCommandException;
import mailserver.smtp.command.MailParameters;
import mailserver.smtp.command.RcptParameters;
import mailserver.smtp.data.ChunkDecoder;
import mailserver.smtp.data.DataDecoder;
import mailserver.smtp.data.SpoolWriter;
import mailserver.smtp.reply.Reply;
import mailserver.smtp.session.Step.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP conversation as a state machine, without any networking: the connection hands it
 * lines and data and does what the returned {@link Step} says. Greeting, EHLO and its extension
 * list, STARTTLS, AUTH, MAIL/RCPT/DATA/BDAT sequencing, relay and sender rules, limits.
 *
 * <p>Not thread-safe: one caller at a time, with a happens-before edge between callers (as a
 * hand-off through an executor gives). {@link #line}, {@link #endOfData} may block on the
 * directory, the authenticator and the message sink: call them on a worker thread.
 */
public final class SmtpSession {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final SmtpListenerSettings settings;
    private final SmtpServices services;
    private final InetSocketAddress client;
    private final CommandParser parser;
    private final boolean relayNetworkClient;

    private String helo;
    private boolean esmtp;
    private TlsInfo tls;
    private boolean tlsStarting;
    private String user;
    private SaslExchange sasl;
    private Transaction transaction;
    private int errors;
    /** A BDAT refused outright: its bytes are read and dropped, then this reply goes out. */
    private ChunkDecoder orphanChunk;
    private Reply orphanChunkReply;

    /** The mail transaction from MAIL to the end of its data. */
    private static final class Transaction {
        final String queueId = QueueIds.next();
        final Instant started;
        final Optional<MailAddress> reversePath;
        final MailParameters parameters;
        /** SPF/DKIM/DMARC of a stranger's message, or null when not checked */
        final MessageChecks.TransactionChecks checks;
        /** the check results for the log line, once known */
        String checkLog = "";
        final List<Recipient> recipients = new ArrayList<>();
        final Set<String> recipientKeys = new HashSet<>();
        SpoolWriter spool;
        DataDecoder dataDecoder;
        ChunkDecoder chunk;
        boolean lastChunk;
        /** a BDAT refused before its bytes were read: sent once they are */
        Reply chunkRefusal;
        boolean usedBdat;

        Transaction(Instant started, Optional<MailAddress> reversePath, MailParameters parameters,
                MessageChecks.TransactionChecks checks) {
            this.started = started;
            this.reversePath = reversePath;
            this.parameters = parameters;
            this.checks = checks;
        }
    }

    public SmtpSession(SmtpListenerSettings settings, SmtpServices services, InetSocketAddress client) {
        this.settings = settings;
        this.services = services;
        this.client = client;
        this.parser = new CommandParser(settings.hostname());
        this.relayNetworkClient = settings.relayNetworks().stream().anyMatch(n -> n.contains(client.getAddress()));
    }

    public Reply greeting() {
        return Reply.plain(220, settings.hostname() + " ESMTP ready");
    }

    /** The reply to a server shutdown (or an idle timeout) before the connection is closed. */
    public Reply goodbye(String why) {
        return Reply.sanitized(421, "4.3.2", settings.hostname() + " " + why + ", closing connection");
    }

    /**
     * TLS is up: after {@link Next#START_TLS}, or on an implicit-TLS listener once its handshake
     * is done. After STARTTLS the session forgets HELO, authentication and any transaction
     * (RFC 3207 4.2).
     */
    public void tlsStarted(TlsInfo info) {
        if (tlsStarting) {
            tlsStarting = false;
            helo = null;
            esmtp = false;
            user = null;
            resetTransaction();
        }
        tls = info;
    }

    /** A line of the client's, without its line ending: a command, or a response during AUTH. */
    public Step line(String line) {
        if (errors >= settings.maxErrors()) {
            return tooManyErrors();
        }
        if (tlsStarting) {
            // The connection forgets input between STARTTLS and the handshake; this cannot happen.
            return Step.then(Reply.of(421, "4.7.0", "Protocol error: command during the TLS handshake"), Next.CLOSE);
        }
        return counted(sasl != null ? saslResponse(line) : command(line));
    }

    /** A line longer than the framing allows, which the connection dropped. */
    public Step lineTooLong() {
        if (readingData()) {
            // Part of the message is lost and its line structure unknown, so the end of the data
            // can no longer be told apart from the client's next command: stop here.
            resetTransaction();
            return Step.then(Reply.of(500, "5.5.2", "Line too long in message data"), Next.CLOSE);
        }
        if (errors >= settings.maxErrors()) {
            return tooManyErrors();
        }
        sasl = null;
        return counted(Step.reply(Reply.of(500, "5.5.2", "Line too long")));
    }

    /** A command line that is not valid UTF-8 (RFC 6531 allows nothing else), which the connection could not decode. */
    public Step undecodableLine() {
        if (errors >= settings.maxErrors()) {
            return tooManyErrors();
        }
        sasl = null;
        return counted(Step.reply(Reply.of(500, "5.5.2", "Invalid UTF-8 in command")));
    }

    /** Bytes after 354 (a line at a time) or of a BDAT chunk; returns how many it used. */
    public int data(byte[] bytes, int offset, int length) {
        if (orphanChunk != null) {
            return orphanChunk.feed(bytes, offset, length);
        }
        if (transaction == null) {
            throw new IllegalStateException("no message data expected");
        }
        if (transaction.dataDecoder != null) {
            return transaction.dataDecoder.feed(bytes, offset, length);
        }
        return transaction.chunk.feed(bytes, offset, length);
    }

    /** True when the message text after DATA or the current BDAT chunk has been read in full. */
    public boolean dataComplete() {
        if (orphanChunk != null) {
            return orphanChunk.finished();
        }
        if (transaction == null) {
            return false;
        }
        return transaction.dataDecoder != null ? transaction.dataDecoder.finished()
                : transaction.chunk != null && transaction.chunk.finished();
    }

    /** After {@link #dataComplete()}: refuses, acknowledges the chunk, or delivers the message. May block. */
    public Step endOfData() {
        return counted(finishData());
    }

    /** The connection is gone: drop whatever was being received. */
    public void close() {
        resetTransaction();
    }

    // ---- commands ---------------------------------------------------------------------------

    private Step command(String line) {
        Command command;
        try {
            command = parser.parse(line);
        } catch (InvalidCommandException e) {
            return Step.reply(e.reply());
        }
        if (command instanceof Command.Ehlo ehlo) {
            return greet(ehlo.domain(), true);
        } else if (command instanceof Command.Helo h) {
            return greet(h.domain(), false);
        } else if (command instanceof Command.Mail mail) {
            return Step.reply(mail(mail));
        } else if (command instanceof Command.Rcpt rcpt) {
            return Step.reply(rcpt(rcpt));
        } else if (command instanceof Command.Data) {
            return dataCommand();
        } else if (command instanceof Command.Bdat bdat) {
            return bdat(bdat);
        } else if (command instanceof Command.Rset) {
            resetTransaction();
            return Step.reply(Reply.of(250, "2.0.0", "Ok"));
        } else if (command instanceof Command.Noop) {
            return Step.reply(Reply.of(250, "2.0.0", "Ok"));
        } else if (command instanceof Command.Quit) {
            return Step.then(Reply.of(221, "2.0.0", "Bye"), Next.CLOSE);
        } else if (command instanceof Command.Vrfy) {
            return Step.reply(Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
        } else if (command instanceof Command.Expn) {
            return Step.reply(Reply.of(502, "5.5.1", "EXPN is disabled"));
        } else if (command instanceof Command.Help) {
            return Step.reply(new Reply(214, "2.0.0", List.of(
                    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH",
                    "See RFC 5321 and https://www.rfc-editor.org/")));
        } else if (command instanceof Command.StartTls) {
            return startTls();
        } else if (command instanceof Command.Auth auth) {
            return auth(auth);
        }
        throw new IllegalStateException("unhandled command " + command);
    }

    private Step greet(String domain, boolean extended) {
        resetTransaction();
        helo = domain;
        esmtp = extended;
        if (!extended) {
            return Step.reply(Reply.plain(250, settings.hostname()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageBytes());
        if (startTlsOffered()) {
            lines.add("STARTTLS");
        }
        if (authOffered()) {
            lines.add("AUTH " + String.join(" ", SaslExchange.MECHANISMS));
        }
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        lines.add("DSN");
        lines.add("HELP");
        return Step.reply(new Reply(250, null, lines));
    }

    private boolean startTlsOffered() {
        return settings.startTlsAvailable() && !tlsActive();
    }

    private boolean authOffered() {
        return settings.authEnabled() && (tlsActive() || !settings.authRequiresTls());
    }

    /** Implicit-TLS listeners count as encrypted from the start; the handshake comes before any command. */
    private boolean tlsActive() {
        return tls != null || settings.implicitTls();
    }

    private Reply mail(Command.Mail mail) {
        if (helo == null) {
            return Reply.of(503, "5.5.1", "Send HELO/EHLO first");
        }
        if (transaction != null) {
            return Reply.of(503, "5.5.1", "Nested MAIL command");
        }
        if (settings.tlsRequired() && !tlsActive()) {
            return Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
        }
        if (settings.authRequired() && user == null) {
            return Reply.of(530, "5.7.0", "Authentication required");
        }
        MailParameters parameters = mail.parameters();
        if (!esmtp && !parameters.equals(MailParameters.NONE)) {
            return Reply.of(555, "5.5.4", "ESMTP parameters need EHLO");
        }
        if (parameters.body().orElse(null) == BodyType.BINARY_MIME) {
            return Reply.of(555, "5.5.4", "BODY=BINARYMIME is not supported");
        }
        if (parameters.size().orElse(0) > settings.maxMessageBytes()) {
            return Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
        }
        Optional<MailAddress> sender = mail.reversePath();
        if (sender.isPresent() && !parameters.smtpUtf8() && !isAscii(sender.get())) {
            return Reply.of(553, "5.6.7", "Non-ASCII sender address needs SMTPUTF8");
        }
        if (user != null && settings.senderMustBeOwned() && sender.isPresent()) {
            boolean owned;
            try {
                owned = services.senders().mayUse(user, sender.get());
            } catch (RuntimeException e) {
                log.warn("sender check for {} failed", user, e);
                return Reply.of(451, "4.3.0", "Temporary lookup failure, try again later");
            }
            if (!owned) {
                log.info("NOQUEUE: reject: MAIL from {}: 553 5.7.1 sender <{}> not owned by user {}", client, sender.get(), user);
                return Reply.sanitized(553, "5.7.1", "Sender address rejected: not owned by user " + user);
            }
        }
        // RFC 4954 5: AUTH= from a client that did not authenticate is not to be trusted.
        MailParameters kept = user == null && parameters.auth().isPresent()
                ? new MailParameters(parameters.size(), parameters.body(), parameters.smtpUtf8(), Optional.empty(),
                        parameters.dsnReturn(), parameters.envelopeId())
                : parameters;
        MessageChecks.TransactionChecks checks = null;
        if (user == null && !relayNetworkClient) {
            checks = services.checks().begin(settings.listenerName(), client, helo, sender);
            Reply refusal = checks == null ? null : checks.refusal();
            if (refusal != null) {
                log.info("NOQUEUE: reject: MAIL from {}: {}; from=<{}> helo=<{}> {}", client, refusal.summary(),
                        sender.map(MailAddress::toString).orElse(""), helo, checks.log());
                return refusal;
            }
        }
        transaction = new Transaction(services.clock().instant(), sender, kept, checks);
        return Reply.of(250, "2.1.0", "Ok");
    }

    private Reply rcpt(Command.Rcpt rcpt) {
        if (transaction == null) {
            return Reply.of(503, "5.5.1", "Need MAIL command");
        }
        if (transaction.spool != null) {
            return Reply.of(503, "5.5.1", "RCPT after message data");
        }
        if (!esmtp && !rcpt.parameters().equals(RcptParameters.NONE)) {
            return Reply.of(555, "5.5.4", "ESMTP parameters need EHLO");
        }
        MailAddress address = rcpt.forwardPath();
        if (!transaction.parameters.smtpUtf8() && !isAscii(address)) {
            return Reply.of(553, "5.6.7", "Non-ASCII recipient address needs SMTPUTF8");
        }
        if (transaction.recipientKeys.contains(address.lookupKey())) {
            return Reply.of(250, "2.1.5", "Ok");
        }
        if (transaction.recipients.size() >= settings.maxRecipients()) {
            return Reply.of(452, "4.5.3", "Too many recipients");
        }
        RecipientStatus status;
        try {
            status = services.recipients().resolve(address);
        } catch (RuntimeException e) {
            log.warn("recipient lookup for <{}> failed", address, e);
            return reject(address, Reply.of(451, "4.3.0", "Temporary lookup failure, try again later"));
        }
        boolean local = status == RecipientStatus.LOCAL;
        switch (status) {
            case LOCAL -> { }
            case NOT_LOCAL -> {
                if (user == null && !relayNetworkClient) {
                    return reject(address, Reply.of(554, "5.7.1", "Relay access denied"));
                }
            }
            case UNKNOWN_USER -> {
                return reject(address, Reply.of(550, "5.1.1", "User unknown"));
            }
            case OVER_QUOTA -> {
                return reject(address, Reply.of(452, "4.2.2", "Mailbox full"));
            }
            default -> throw new IllegalStateException(status.name());
        }
        transaction.recipients.add(new Recipient(address, rcpt.parameters(), local));
        transaction.recipientKeys.add(address.lookupKey());
        return Reply.of(250, "2.1.5", "Ok");
    }

    private Reply reject(MailAddress recipient, Reply reply) {
        log.info("NOQUEUE: reject: RCPT from {}: {}; from=<{}> to=<{}> helo=<{}>", client, reply.summary(),
                transaction.reversePath.map(MailAddress::toString).orElse(""), recipient, helo);
        return reply;
    }

    private Step dataCommand() {
        Reply refusal = refuseData();
        if (refusal != null) {
            return Step.reply(refusal);
        }
        if (transaction.usedBdat) {
            return Step.reply(Reply.of(503, "5.5.1", "DATA cannot follow BDAT"));
        }
        if (!openSpool()) {
            return Step.reply(Reply.of(451, "4.3.0", "Local error in processing, try again later"));
        }
        transaction.dataDecoder = new DataDecoder(transaction.spool);
        return Step.then(Reply.plain(354, "End data with <CR><LF>.<CR><LF>"), Next.DATA);
    }

    /** Why the transaction cannot take message data now, or null if it can. */
    private Reply refuseData() {
        if (transaction == null) {
            return Reply.of(503, "5.5.1", "Need MAIL command");
        }
        if (transaction.recipients.isEmpty()) {
            return Reply.of(554, "5.5.1", "No valid recipients");
        }
        return null;
    }

    private Step bdat(Command.Bdat bdat) {
        Reply refusal = refuseData();
        if (refusal == null && !transaction.usedBdat && !openSpool()) {
            refusal = Reply.of(451, "4.3.0", "Local error in processing, try again later");
        }
        if (refusal != null) {
            // RFC 3030 2: the chunk is read off the connection before the refusal is sent.
            orphanChunk = ChunkDecoder.discarding(bdat.size());
            orphanChunkReply = refusal;
            return Step.chunk(bdat.size());
        }
        transaction.usedBdat = true;
        transaction.chunk = ChunkDecoder.into(transaction.spool, bdat.size());
        transaction.lastChunk = bdat.last();
        return Step.chunk(bdat.size());
    }

    /** Creates the spool file with the Received header on top; false when the disk refuses. */
    private boolean openSpool() {
        try {
            transaction.spool = SpoolWriter.create(services.spoolDir(), settings.maxMessageBytes());
        } catch (IOException e) {
            log.error("cannot create a spool file in {}", services.spoolDir(), e);
            return false;
        }
        MailAddress only = transaction.recipients.size() == 1 ? transaction.recipients.get(0).address() : null;
        String received = ReceivedHeader.format(helo, esmtp, client, settings.hostname(), transaction.parameters.smtpUtf8(),
                tls, user != null, transaction.queueId, only, ZonedDateTime.ofInstant(services.clock().instant(), services.clock().getZone()));
        transaction.spool.writePreamble(received.getBytes(StandardCharsets.UTF_8));
        return true;
    }

    private Step startTls() {
        if (tlsActive()) {
            return Step.reply(Reply.of(503, "5.5.1", "TLS already active"));
        }
        if (!settings.startTlsAvailable()) {
            return Step.reply(Reply.of(502, "5.5.1", "STARTTLS not available"));
        }
        tlsStarting = true;
        return Step.then(Reply.of(220, "2.0.0", "Ready to start TLS"), Next.START_TLS);
    }

    // ---- AUTH -------------------------------------------------------------------------------

    private Step auth(Command.Auth auth) {
        if (!settings.authEnabled()) {
            return Step.reply(Reply.of(503, "5.5.1", "Authentication not enabled"));
        }
        if (helo == null || !esmtp) {
            return Step.reply(Reply.of(503, "5.5.1", "Send EHLO first"));
        }
        if (!authOffered()) {
            return Step.reply(Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism"));
        }
        if (user != null) {
            return Step.reply(Reply.of(503, "5.5.1", "Already authenticated"));
        }
        if (transaction != null) {
            return Step.reply(Reply.of(503, "5.5.1", "AUTH not permitted during a mail transaction"));
        }
        Optional<SaslExchange> exchange = SaslExchange.start(auth.mechanism());
        if (exchange.isEmpty()) {
            return Step.reply(Reply.of(504, "5.5.4", "Unrecognized authentication type"));
        }
        sasl = exchange.get();
        try {
            return saslStep(sasl.begin(auth.initialResponse()));
        } catch (SaslException e) {
            sasl = null;
            return Step.reply(saslRefusal(e));
        }
    }

    private Step saslResponse(String line) {
        try {
            return saslStep(sasl.respond(line));
        } catch (SaslException e) {
            sasl = null;
            return Step.reply(saslRefusal(e));
        }
    }

    private static Reply saslRefusal(SaslException e) {
        return switch (e.reason()) {
            case CANCELLED -> Reply.of(501, "5.0.0", "Authentication cancelled");
            case MALFORMED -> Reply.of(501, "5.5.2", "Cannot decode response");
            case TOO_LONG -> Reply.of(500, "5.5.6", "Authentication exchange line is too long");
            case AUTHZID_MISMATCH -> Reply.of(535, "5.7.8", "Authorization identity must be the authentication identity");
        };
    }

    private Step saslStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge challenge) {
            return Step.reply(Reply.plain(334, challenge.base64()));
        }
        Credentials credentials = ((SaslStep.Complete) step).credentials();
        sasl = null;
        AuthService.Result result;
        try {
            result = services.authenticator().authenticate(credentials.username(), credentials.password(), client.getAddress());
        } catch (RuntimeException e) {
            log.warn("authentication of {} could not be checked", credentials.username(), e);
            return Step.reply(Reply.of(454, "4.7.0", "Temporary authentication failure"));
        }
        switch (result.outcome()) {
            case SUCCESS -> {
                user = result.account().map(a -> a.address().toString()).orElse(credentials.username());
                log.info("AUTH ok: client={}, sasl_username={}", client, user);
                return Step.reply(Reply.of(235, "2.7.0", "Authentication successful"));
            }
            case FAILED -> {
                log.info("AUTH failed: client={}, sasl_username={}", client, credentials.username());
                return Step.delayed(Reply.of(535, "5.7.8", "Authentication credentials invalid"), result.replyDelay());
            }
            case LOCKED_OUT -> {
                log.info("AUTH refused, too many failures: client={}, sasl_username={}", client, credentials.username());
                return Step.delayed(Reply.of(454, "4.7.0", "Too many failed authentications, try again later"), result.replyDelay());
            }
            case UNAVAILABLE -> {
                return Step.reply(Reply.of(454, "4.7.0", "Temporary authentication failure"));
            }
            default -> throw new IllegalStateException(result.outcome().name());
        }
    }

    // ---- end of the message -----------------------------------------------------------------

    private Step finishData() {
        if (orphanChunk != null) {
            Reply reply = orphanChunkReply;
            orphanChunk = null;
            orphanChunkReply = null;
            return Step.reply(reply);
        }
        Transaction t = transaction;
        boolean whole = t.dataDecoder != null || t.lastChunk;
        boolean bareNewline = t.dataDecoder != null && t.dataDecoder.sawBareNewline();
        t.chunk = null;
        if (!whole) {
            if (t.spool.status() == SpoolWriter.Status.OK) {
                return Step.reply(Reply.of(250, "2.0.0", t.spool.messageBytes() + " octets received"));
            }
            // RFC 3030 2: a failed chunk fails the whole transaction.
            Reply reply = spoolFailure(t.spool.status());
            logRefused(t, reply);
            resetTransaction();
            return Step.reply(reply);
        }
        t.spool.finish();
        Reply reply;
        if (bareNewline) {
            reply = Reply.of(554, "5.5.2", "Message refused: bare CR or LF in message data (see RFC 5321 2.3.8)");
            logRefused(t, reply);
        } else if (t.spool.status() != SpoolWriter.Status.OK) {
            reply = spoolFailure(t.spool.status());
            logRefused(t, reply);
        } else {
            reply = deliver(t);
        }
        resetTransaction();
        return Step.reply(reply);
    }

    private Reply spoolFailure(SpoolWriter.Status status) {
        return status == SpoolWriter.Status.TOO_BIG
                ? Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size")
                : Reply.of(451, "4.3.0", "Local error in processing, try again later");
    }

    /**
     * Hands the message to the sink. Only when every copy is durable is the answer 250. SMTP has
     * a single reply for DATA, so when recipients failed: their own reply if every one failed
     * alike (e.g. {@code 452 4.2.2} for a single full mailbox), 554 when every one failed for
     * good, else a temporary failure of the whole message.
     */
    private Reply deliver(Transaction t) {
        boolean quarantine = false;
        if (t.checks != null) {
            MessageChecks.CheckVerdict verdict = t.checks.endOfData(t.queueId, t.spool.path());
            t.checkLog = verdict.log();
            if (verdict.refusal() != null) {
                logRefused(t, verdict.refusal());
                return verdict.refusal();
            }
            quarantine = verdict.quarantine();
        }
        Envelope envelope = new Envelope(t.queueId, t.reversePath, t.parameters, t.recipients, helo, client,
                Optional.ofNullable(user), Optional.ofNullable(tls), t.started, quarantine);
        DeliveryResult result;
        try {
            result = services.sink().deliver(envelope, t.spool.path());
        } catch (RuntimeException e) {
            log.error("{}: delivery failed", t.queueId, e);
            Reply local = Reply.of(451, "4.3.0", "Local error in processing, try again later");
            result = new DeliveryResult(t.recipients.stream()
                    .map(r -> new DeliveryResult.Failure(r, local, "internal error: " + e)).toList());
        }
        List<DeliveryResult.Failure> failures = result.failures();
        boolean everyoneFailed = failures.size() == t.recipients.size();
        Reply reply;
        if (failures.isEmpty()) {
            reply = Reply.of(250, "2.0.0", "Ok: queued as " + t.queueId);
        } else if (everyoneFailed && failures.stream().map(f -> f.reply().summary()).distinct().count() == 1) {
            reply = failures.get(0).reply();
        } else if (everyoneFailed && failures.stream().allMatch(DeliveryResult.Failure::permanent)) {
            reply = Reply.of(554, "5.3.0", "Delivery failed for every recipient");
        } else {
            reply = Reply.of(451, "4.3.0", "Delivery failed for some recipients, try again later");
        }
        logMessage(t, reply, result.failures().stream()
                .map(f -> "<" + f.recipient().address() + "> " + f.reason()).collect(Collectors.joining(", ")));
        return reply;
    }

    /** One line per message in the Postfix spirit: grep the queue id to see its whole path. */
    private void logMessage(Transaction t, Reply reply, String failures) {
        log.info("{}: client={}, helo=<{}>, from=<{}>, to=<{}>, size={}, nrcpt={}, proto={}, tls={}, sasl_username={}, status={}{}{}",
                t.queueId, client, helo, t.reversePath.map(MailAddress::toString).orElse(""),
                t.recipients.stream().map(r -> r.address().toString()).collect(Collectors.joining(",")),
                t.spool.messageBytes(), t.recipients.size(),
                ReceivedHeader.protocol(esmtp, t.parameters.smtpUtf8(), tls != null, user != null),
                tls == null ? "none" : tls.protocol() + ":" + tls.cipherSuite(), user == null ? "" : user,
                reply.isPositive() ? "accepted" : "refused (" + reply.summary() + ")",
                failures.isEmpty() ? "" : ", failed=" + failures, t.checkLog.isEmpty() ? "" : ", " + t.checkLog);
    }

    private void logRefused(Transaction t, Reply reply) {
        logMessage(t, reply, "");
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Counts error replies toward the hard limit (Postfix counts the same way). */
    private Step counted(Step step) {
        if (step.reply() != null && step.reply().code() >= 400) {
            errors++;
        }
        return step;
    }

    private Step tooManyErrors() {
        log.info("too many errors from {}, disconnecting", client);
        return Step.then(Reply.of(421, "4.7.0", settings.hostname() + " Error: too many errors"), Next.CLOSE);
    }

    private boolean readingData() {
        return orphanChunk != null || (transaction != null && (transaction.dataDecoder != null || transaction.chunk != null));
    }

    private void resetTransaction() {
        if (transaction != null && transaction.spool != null) {
            transaction.spool.discard();
        }
        transaction = null;
        orphanChunk = null;
        orphanChunkReply = null;
    }

    private static boolean isAscii(MailAddress address) {
        return address.localPart().chars().allMatch(c -> c < 0x80);
    }
}
