package mailserver.smtp.outbound;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import io.netty.channel.ConnectTimeoutException;
import mailserver.core.config.OutboundConfig;
import mailserver.smtp.command.Xtext;
import mailserver.smtp.outbound.RecipientOutcome.Status;

/**
 * One message's attempt over one route: the servers tried in order until one takes the
 * transaction, then one outcome per recipient. The steps run on the connection's event loop,
 * chained on the reply futures, so no thread waits for the network.
 */
final class Delivery {

    private static final Pattern NETTY_ADDRESS_SUFFIX = Pattern.compile(": [^\\s/]*/\\S+$");

    private final SmtpClient client;
    private final OutboundMessage message;
    private final boolean eightBitData;
    private final List<Hop> hops;
    private final OutboundConfig.Timeouts timeouts;
    private final CompletableFuture<List<RecipientOutcome>> result = new CompletableFuture<>();
    private int nextHop;
    private HopFailure lastFailure;
    /** What the session was doing, for "timed out while ..." diagnostics (Postfix's wording). */
    private volatile String stage = "";

    Delivery(SmtpClient client, OutboundMessage message, boolean eightBitData, List<Hop> hops) {
        this.client = client;
        this.message = message;
        this.eightBitData = eightBitData;
        this.hops = hops;
        this.timeouts = client.timeouts();
    }

    CompletableFuture<List<RecipientOutcome>> start() {
        tryNextHop();
        return result;
    }

    private void tryNextHop() {
        if (nextHop >= hops.size()) {
            finish(message.recipients().stream().map(r -> lastFailure.deferred(r.address())).toList());
            return;
        }
        Hop hop = hops.get(nextHop++);
        ClientConnection cached = client.cache().take(hop);
        if (cached != null) {
            transaction(cached, true);
        } else {
            connect(hop);
        }
    }

    private void connect(Hop hop) {
        open(hop).whenComplete((connection, error) -> {
            if (error != null) {
                hopFailed(hop, error);
            } else {
                transaction(connection, false);
            }
        });
    }

    private void hopFailed(Hop hop, Throwable error) {
        lastFailure = failure(hop, error);
        tryNextHop();
    }

    // ---- session setup: greeting, EHLO, STARTTLS, AUTH

    private CompletableFuture<ClientConnection> open(Hop hop) {
        stage = "connect";
        CompletableFuture<RemoteReply> greeting = new CompletableFuture<>();
        return ClientConnection.connect(client.bootstrap(), hop, client.tls(), timeouts, greeting)
                .thenCompose(connection -> {
                    stage = "receiving the initial server greeting";
                    return greeting.thenCompose(reply -> {
                        if (reply.code() != 220) {
                            connection.quit(timeouts.helo());
                            throw new CompletionException(HopFailure.rejected(reply, hop));
                        }
                        return hello(connection);
                    });
                });
    }

    private CompletableFuture<ClientConnection> hello(ClientConnection connection) {
        stage = "performing the EHLO handshake";
        return connection.command("EHLO " + client.heloName(), timeouts.helo()).thenCompose(ehlo -> {
            if (ehlo.positive()) {
                connection.capabilities(Capabilities.of(ehlo));
                return startTls(connection);
            }
            if (ehlo.code() < 500) {
                throw rejected(connection, ehlo);
            }
            stage = "performing the HELO handshake";
            return connection.command("HELO " + client.heloName(), timeouts.helo()).thenCompose(helo -> {
                if (!helo.positive()) {
                    throw rejected(connection, helo);
                }
                connection.capabilities(Capabilities.NONE);
                return startTls(connection);
            });
        });
    }

    private CompletableFuture<ClientConnection> startTls(ClientConnection connection) {
        Hop hop = connection.hop();
        OutboundConfig.TlsPolicy policy = hop.tls();
        if (connection.encrypted() || policy == OutboundConfig.TlsPolicy.NONE) {
            return authenticate(connection);
        }
        if (!connection.capabilities().startTls()) {
            if (policy == OutboundConfig.TlsPolicy.ENCRYPT) {
                connection.quit(timeouts.helo());
                throw new CompletionException(new HopFailure("4.7.4",
                        "TLS is required, but was not offered by host " + hop.relay(), false, hop.relay()));
            }
            return authenticate(connection);
        }
        stage = "sending STARTTLS";
        return connection.command("STARTTLS", timeouts.helo()).thenCompose(reply -> {
            if (reply.code() != 220) {
                if (policy == OutboundConfig.TlsPolicy.ENCRYPT || reply.code() == 421) {
                    throw rejected(connection, reply);
                }
                return authenticate(connection);
            }
            stage = "performing the TLS handshake";
            return connection.startTls(client.tls(), timeouts.helo()).thenCompose(done -> {
                stage = "performing the EHLO handshake after STARTTLS";
                return connection.command("EHLO " + client.heloName(), timeouts.helo());
            }).thenCompose(ehlo -> {
                if (!ehlo.positive()) {
                    throw rejected(connection, ehlo);
                }
                connection.capabilities(Capabilities.of(ehlo));
                return authenticate(connection);
            });
        });
    }

    private CompletableFuture<ClientConnection> authenticate(ClientConnection connection) {
        Hop hop = connection.hop();
        Hop.Login login = hop.login();
        // A relayhost that offers no AUTH decides at RCPT whether it relays for us, as Postfix lets it.
        if (login == null || connection.capabilities().authMechanisms().isEmpty()) {
            return CompletableFuture.completedFuture(connection);
        }
        if (!connection.encrypted() && !login.allowPlaintext()) {
            connection.quit(timeouts.helo());
            throw new CompletionException(new HopFailure("4.7.0", "not sending the password for " + hop.relay()
                    + " over a connection without TLS (outbound.relayhost.allow-plaintext-auth is false)", false, hop.relay()));
        }
        stage = "performing SASL authentication";
        CompletableFuture<RemoteReply> done;
        if (connection.capabilities().authMechanisms().contains("PLAIN")) {
            done = connection.command("AUTH PLAIN " + base64("\0" + login.username() + "\0" + login.password()),
                    timeouts.helo());
        } else if (connection.capabilities().authMechanisms().contains("LOGIN")) {
            done = connection.command("AUTH LOGIN", timeouts.helo())
                    .thenCompose(reply -> challenge(connection, reply, login.username()))
                    .thenCompose(reply -> challenge(connection, reply, login.password()));
        } else {
            connection.quit(timeouts.helo());
            throw new CompletionException(new HopFailure("4.7.0", "no SASL mechanism in common with " + hop.relay()
                    + " (it offers " + String.join(" ", connection.capabilities().authMechanisms())
                    + "; we speak PLAIN and LOGIN)", false, hop.relay()));
        }
        return done.thenApply(reply -> {
            if (reply.code() != 235) {
                throw rejected(connection, reply);
            }
            return connection;
        });
    }

    private CompletableFuture<RemoteReply> challenge(ClientConnection connection, RemoteReply reply, String answer) {
        if (reply.code() != 334) {
            return CompletableFuture.completedFuture(reply);
        }
        return connection.command(base64(answer), timeouts.helo());
    }

    // ---- the mail transaction

    private void transaction(ClientConnection connection, boolean reused) {
        Hop hop = connection.hop();
        Capabilities server = connection.capabilities();
        Refusal refusal = refusal(server, hop);
        if (refusal != null) {
            client.cache().put(connection);
            finish(message.recipients().stream().map(r -> new RecipientOutcome(r.address(), Status.BOUNCED,
                    hop.relay(), refusal.dsnCode(), refusal.diagnostic(), false, false)).toList());
            return;
        }
        List<String> commands = new ArrayList<>();
        commands.add(mailFrom(server));
        message.recipients().forEach(r -> commands.add(rcptTo(r, server)));
        CompletableFuture<Replies> replies = server.pipelining() ? pipelined(connection, commands)
                : stepByStep(connection, commands);
        replies.whenComplete((answers, error) -> {
            if (error == null) {
                evaluate(connection, answers, reused);
            } else if (reused && !(unwrap(error) instanceof ReplyReader.ReplyTimeoutException)) {
                // The server dropped the idle connection just as we took it from the cache.
                connection.close();
                connect(hop);
            } else {
                connection.close();
                hopFailed(hop, error);
            }
        });
    }

    private record Refusal(String dsnCode, String diagnostic) {
    }

    /**
     * Why this server must not get the message at all, or null: it is too big for it (RFC 1870),
     * needs SMTPUTF8 (RFC 6531 3.4) or 8BITMIME (RFC 6152) it does not offer.
     */
    private Refusal refusal(Capabilities server, Hop hop) {
        if (server.size() && server.maxSize() > 0 && message.size() > server.maxSize()) {
            return new Refusal("5.3.4", "message size " + message.size() + " exceeds size limit " + server.maxSize()
                    + " of server " + hop.relay());
        }
        if (message.smtpUtf8() && !server.smtpUtf8()) {
            return new Refusal("5.6.7", "SMTPUTF8 is required, but was not offered by host " + hop.relay());
        }
        if (eightBitData && !server.eightBitMime()) {
            return new Refusal("5.6.3", "8-bit data not accepted by the next hop: " + hop.relay()
                    + " does not offer 8BITMIME");
        }
        return null;
    }

    private String mailFrom(Capabilities server) {
        StringBuilder command = new StringBuilder("MAIL FROM:<").append(message.sender()).append('>');
        if (server.size()) {
            command.append(" SIZE=").append(message.size());
        }
        if (eightBitData && server.eightBitMime()) {
            command.append(" BODY=8BITMIME");
        }
        if (message.smtpUtf8()) {
            command.append(" SMTPUTF8");
        }
        if (server.dsn()) {
            if (message.ret() != null) {
                command.append(" RET=").append(message.ret());
            }
            if (message.envid() != null) {
                command.append(" ENVID=").append(Xtext.encode(message.envid()));
            }
        }
        return command.toString();
    }

    private static String rcptTo(OutboundRecipient recipient, Capabilities server) {
        StringBuilder command = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        if (server.dsn()) {
            if (!recipient.notifyOn().isEmpty()) {
                command.append(" NOTIFY=").append(String.join(",", recipient.notifyOn()));
            }
            String orcpt = recipient.orcpt();
            int semicolon = orcpt == null ? -1 : orcpt.indexOf(';');
            if (semicolon > 0) {
                command.append(" ORCPT=").append(orcpt, 0, semicolon + 1)
                        .append(Xtext.encode(orcpt.substring(semicolon + 1)));
            }
        }
        return command.toString();
    }

    /** The replies to MAIL, each RCPT and DATA; {@code data} null when DATA was not sent. */
    private record Replies(RemoteReply mail, List<RemoteReply> rcpts, RemoteReply data) {
    }

    /** RFC 2920: MAIL, every RCPT and DATA in one write. */
    private CompletableFuture<Replies> pipelined(ClientConnection connection, List<String> commands) {
        List<String> lines = new ArrayList<>(commands);
        lines.add("DATA");
        List<java.time.Duration> waits = new ArrayList<>();
        waits.add(timeouts.mail());
        commands.subList(1, commands.size()).forEach(c -> waits.add(timeouts.rcpt()));
        waits.add(timeouts.dataInit());
        stage = "sending MAIL FROM";
        List<CompletableFuture<RemoteReply>> answers = connection.pipeline(lines, waits);
        for (int i = 0; i < answers.size(); i++) {
            String next = i + 1 < commands.size() ? "sending RCPT TO" : "sending DATA command";
            answers.get(i).thenRun(() -> stage = next);
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<RemoteReply> replies = answers.stream().map(CompletableFuture::join).toList();
            return new Replies(replies.get(0), replies.subList(1, replies.size() - 1), replies.get(replies.size() - 1));
        });
    }

    private CompletableFuture<Replies> stepByStep(ClientConnection connection, List<String> commands) {
        stage = "sending MAIL FROM";
        return connection.command(commands.get(0), timeouts.mail()).thenCompose(mail -> {
            if (!mail.positive()) {
                return CompletableFuture.completedFuture(new Replies(mail, List.of(), null));
            }
            stage = "sending RCPT TO";
            return recipients(connection, commands, 1, new ArrayList<>()).thenCompose(rcpts -> {
                boolean anyAccepted = rcpts.stream().anyMatch(RemoteReply::positive);
                if (!anyAccepted || rcpts.stream().anyMatch(r -> r.code() == 421)) {
                    return CompletableFuture.completedFuture(new Replies(mail, rcpts, null));
                }
                stage = "sending DATA command";
                return connection.command("DATA", timeouts.dataInit()).thenApply(data -> new Replies(mail, rcpts, data));
            });
        });
    }

    private CompletableFuture<List<RemoteReply>> recipients(ClientConnection connection, List<String> commands, int index,
                                                            List<RemoteReply> replies) {
        if (index == commands.size()) {
            return CompletableFuture.completedFuture(replies);
        }
        return connection.command(commands.get(index), timeouts.rcpt()).thenCompose(reply -> {
            replies.add(reply);
            return reply.code() == 421 ? CompletableFuture.completedFuture(replies)
                    : recipients(connection, commands, index + 1, replies);
        });
    }

    private void evaluate(ClientConnection connection, Replies replies, boolean reused) {
        Hop hop = connection.hop();
        List<OutboundRecipient> recipients = message.recipients();
        RemoteReply dataReply = replies.data();
        // A server that still says 354 after refusing everything (RFC 2920 3.1) waits for a message we never send.
        boolean dataOpen = dataReply != null && dataReply.code() == 354;
        RemoteReply closing = closingReply(replies);
        if (closing != null) {
            connection.close();
            if (reused && closing == replies.mail()) {
                // An idle connection the server was just closing: a fresh one may well work.
                connect(hop);
            } else {
                hopFailed(hop, new CompletionException(HopFailure.rejected(closing, hop)));
            }
            return;
        }
        RecipientOutcome[] outcomes = new RecipientOutcome[recipients.size()];
        if (!replies.mail().positive()) {
            Arrays.setAll(outcomes, i -> refused(recipients.get(i), replies.mail(), hop));
            endTransaction(connection, dataOpen);
            finish(List.of(outcomes));
            return;
        }
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            RemoteReply rcpt = replies.rcpts().get(i);
            if (rcpt.positive()) {
                accepted.add(i);
            } else {
                outcomes[i] = refused(recipients.get(i), rcpt, hop);
            }
        }
        if (accepted.isEmpty() || !dataOpen) {
            for (int i : accepted) {
                outcomes[i] = refused(recipients.get(i), dataReply, hop);
            }
            endTransaction(connection, dataOpen);
            finish(List.of(outcomes));
            return;
        }
        stage = "sending message body";
        connection.message(message.content(), timeouts.dataDone()).whenComplete((end, error) -> {
            if (error != null) {
                connection.close();
                stage = "sending end of data -- message may be sent more than once";
                HopFailure failure = failure(hop, error);
                for (int i : accepted) {
                    outcomes[i] = failure.deferred(recipients.get(i).address());
                }
            } else {
                for (int i : accepted) {
                    outcomes[i] = end.positive()
                            ? new RecipientOutcome(recipients.get(i).address(), Status.SENT, hop.relay(),
                            end.dsnCode(), end.text(), true, connection.capabilities().dsn())
                            : refused(recipients.get(i), end, hop);
                }
            }
            if (error == null) {
                endTransaction(connection, end.code() == 421);
            }
            finish(List.of(outcomes));
        });
    }

    /** A 421 to MAIL, RCPT or DATA: the server is going away; another one may take the mail. */
    private static RemoteReply closingReply(Replies replies) {
        if (replies.mail().code() == 421) {
            return replies.mail();
        }
        if (!replies.mail().positive()) {
            return null;
        }
        for (RemoteReply rcpt : replies.rcpts()) {
            if (rcpt.code() == 421) {
                return rcpt;
            }
        }
        return replies.data() != null && replies.data().code() == 421 ? replies.data() : null;
    }

    private static RecipientOutcome refused(OutboundRecipient recipient, RemoteReply reply, Hop hop) {
        Status status = reply.transientFailure() ? Status.DEFERRED : Status.BOUNCED;
        return new RecipientOutcome(recipient.address(), status, hop.relay(), reply.dsnCode(), reply.text(), true, false);
    }

    /**
     * RSET, and into the cache at once, before the outcomes are reported, so the next message
     * for this server finds it; its MAIL simply follows the RSET. A failed RSET closes the
     * connection, and the next message then opens a new one.
     */
    private void endTransaction(ClientConnection connection, boolean unusable) {
        if (unusable || !connection.isOpen()) {
            connection.close();
            return;
        }
        connection.command("RSET", timeouts.helo()).whenComplete((reply, error) -> {
            if (error != null || !reply.positive()) {
                connection.close();
            }
        });
        client.cache().put(connection);
    }

    private void finish(List<RecipientOutcome> outcomes) {
        result.complete(outcomes);
    }

    // ---- failures

    private CompletionException rejected(ClientConnection connection, RemoteReply reply) {
        connection.quit(timeouts.helo());
        return new CompletionException(HopFailure.rejected(reply, connection.hop()));
    }

    private HopFailure failure(Hop hop, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof HopFailure failure) {
            return failure;
        }
        if (stage.equals("connect") || cause instanceof ConnectException || cause instanceof ConnectTimeoutException) {
            return new HopFailure("4.4.1", "connect to " + hop.relay() + ": " + withoutAddress(describe(cause)), false, "none");
        }
        if (cause instanceof ReplyReader.ReplyTimeoutException) {
            return new HopFailure("4.4.2", "conversation with " + hop.relay() + " timed out while " + stage, false,
                    hop.relay());
        }
        SSLException tls = tlsFailure(cause);
        if (tls != null) {
            return new HopFailure("4.7.5", "TLS handshake with " + hop.relay() + " failed: " + describe(tls), false,
                    hop.relay());
        }
        return new HopFailure("4.4.2", "lost connection with " + hop.relay() + " while " + stage
                + " (" + describe(cause) + ")", false, hop.relay());
    }

    /** Netty wraps TLS errors (in DecoderException, and ours in IOException): the SSLException in the chain, or null. */
    private static SSLException tlsFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Netty's connect errors end with ": /192.0.2.7:25", which the line already names as the relay. */
    private static String withoutAddress(String message) {
        return NETTY_ADDRESS_SUFFIX.matcher(message).replaceFirst("");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
