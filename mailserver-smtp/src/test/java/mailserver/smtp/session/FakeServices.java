package mailserver.smtp.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import mailserver.auth.AuthService;
import mailserver.auth.directory.AccountInfo;
import mailserver.core.mail.MailAddress;

/**
 * A directory, authenticator and message sink in memory, for tests: domains {@code example.org}
 * (alice, bob, full = over quota) and {@code example.net} (carol) are local; passwords are in
 * {@link #passwords}; the sink keeps every message it was given.
 */
public final class FakeServices implements RecipientResolver, SenderOwnership, Authenticator, MessageSink {

    /** One message as the sink saw it. */
    public record Delivered(Envelope envelope, String content) {
    }

    public final Map<String, String> passwords = new HashMap<>(Map.of("alice@example.org", "secret", "bob@example.org", "hunter2"));
    public final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    public final List<String> authAttempts = new CopyOnWriteArrayList<>();
    /** What the sink answers; all delivered unless a test changes it. */
    public volatile Function<Envelope, DeliveryResult> sinkBehaviour = e -> DeliveryResult.DELIVERED;
    public volatile boolean directoryDown;

    public SmtpServices services(Path spool) {
        return new SmtpServices(this, this, this, this, spool, Clock.fixed(Instant.parse("2025-06-03T10:00:00Z"), ZoneOffset.UTC));
    }

    @Override
    public RecipientStatus resolve(MailAddress recipient) {
        if (directoryDown) {
            throw new IllegalStateException("directory down");
        }
        String key = recipient.lookupKey();
        if (!recipient.domain().equals("example.org") && !recipient.domain().equals("example.net")
                && !recipient.domain().equals("mx.example.org")) {
            return RecipientStatus.NOT_LOCAL;
        }
        return switch (key) {
            case "alice@example.org", "bob@example.org", "carol@example.net", "postmaster@mx.example.org",
                    "jürgen@example.org" -> RecipientStatus.LOCAL;
            case "full@example.org" -> RecipientStatus.OVER_QUOTA;
            default -> RecipientStatus.UNKNOWN_USER;
        };
    }

    @Override
    public boolean mayUse(String identity, MailAddress sender) {
        return sender.lookupKey().equals(identity) || (identity.equals("alice@example.org") && sender.lookupKey().equals("sales@example.org"));
    }

    @Override
    public AuthService.Result authenticate(String username, char[] password, InetAddress client) {
        authAttempts.add(username);
        String key = username.toLowerCase();
        boolean right = new String(password).equals(passwords.get(key));
        Arrays.fill(password, '\0');
        if (!right) {
            return new AuthService.Result(AuthService.Outcome.FAILED, Optional.empty(), Duration.ZERO);
        }
        AccountInfo account = new AccountInfo(MailAddress.parse(key), "", key, 0, 0, true);
        return new AuthService.Result(AuthService.Outcome.SUCCESS, Optional.of(account), Duration.ZERO);
    }

    @Override
    public DeliveryResult deliver(Envelope envelope, Path message) {
        try {
            delivered.add(new Delivered(envelope, Files.readString(message, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sinkBehaviour.apply(envelope);
    }
}
