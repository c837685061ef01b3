package mailserver.smtp.dkim;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
import mailserver.core.mail.InvalidAddressException;
import mailserver.core.mail.MailAddress;
import mailserver.core.net.NetworkRange;
import mailserver.smtp.dkim.DkimKeyCache.SigningKey;
import mailserver.smtp.session.Envelope;
import org.simplejavamail.utils.mail.dkim.DkimException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DKIM-signs (RFC 6376: rsa-sha256, relaxed/relaxed) mail that we send for our own users: the
 * client authenticated or is in the trusted networks (smtp relay-networks), and the domain of the
 * From field is a local domain with an active key in the directory (d= that domain, s= the key's
 * selector). Mail from the Internet is never signed, even when its From claims one of our
 * domains: signing it would vouch for a forgery (a forwarding alias would carry it on to others).
 *
 * <p>Only the signature field is computed (with java-utils-mail-dkim, see
 * {@link LibrarySignature}); the message itself is queued byte for byte behind it. Unsigned
 * mail costs a read of the header section and a cached key lookup. Signed mail is read whole,
 * because the library takes the body as a String.
 */
public final class DkimSigner implements MessageSigner {

    /** How long a key (or its absence) is used before the directory is asked again. */
    public static final Duration KEY_CACHE_TTL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(DkimSigner.class);
    private static final byte[] UNSIGNED = new byte[0];
    /** Far more than any real header section; beyond it the message is queued unsigned, not parsed into memory. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final byte[] END_OF_HEADER = {'\r', '\n', '\r', '\n'};
    /** Header fields as UTF-8 (RFC 6532): the library hashes the UTF-8 bytes of what Jakarta Mail parsed. */
    private static final Session SESSION = Session.getInstance(utf8Headers());

    private final DkimKeyCache keys;
    private final List<NetworkRange> trustedNetworks;

    /** @param trustedNetworks clients whose mail we sign without AUTH (the smtp relay-networks) */
    public DkimSigner(Directory directory, List<NetworkRange> trustedNetworks) {
        this(directory, trustedNetworks, KEY_CACHE_TTL);
    }

    public DkimSigner(Directory directory, List<NetworkRange> trustedNetworks, Duration keyCacheTtl) {
        this.keys = new DkimKeyCache(directory, keyCacheTtl);
        this.trustedNetworks = List.copyOf(trustedNetworks);
    }

    @Override
    public byte[] headerFields(Envelope envelope, Path message) {
        if (envelope.authenticatedUser().isEmpty()
                && trustedNetworks.stream().noneMatch(n -> n.contains(envelope.client().getAddress()))) {
            return UNSIGNED;
        }
        // On failure the message still goes out, unsigned: a receiver may score it lower, but a
        // temporary failure would hold every message of the domain until an admin fixes the key.
        try {
            return sign(envelope.queueId(), message);
        } catch (IOException | MessagingException | DirectoryException | GeneralSecurityException | DkimException e) {
            log.warn("{}: not DKIM-signed: {}", envelope.queueId(), e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: not DKIM-signed: unexpected failure", envelope.queueId(), e);
        }
        return UNSIGNED;
    }

    private byte[] sign(String queueId, Path message)
            throws IOException, MessagingException, DirectoryException, GeneralSecurityException {
        byte[] headerSection = headerSection(message);
        MimeMessage headers = new MimeMessage(SESSION, new ByteArrayInputStream(headerSection));
        Optional<String> domain = fromDomain(headers);
        if (domain.isEmpty()) {
            return UNSIGNED;
        }
        Optional<SigningKey> key = keys.forDomain(domain.get());
        if (key.isEmpty()) {
            return UNSIGNED;
        }
        byte[] all = Files.readAllBytes(message);
        String body;
        try {
            strictUtf8(headerSection, 0, headerSection.length);
            body = strictUtf8(all, headerSection.length, all.length - headerSection.length);
        } catch (CharacterCodingException e) {
            throw new IOException("it has 8-bit text that is not UTF-8, which the DKIM library cannot hash exactly", e);
        }
        String field = LibrarySignature.field(headers, body, key.get());
        log.info("{}: DKIM-Signature field added (s={}, d={})", queueId, key.get().selector(), key.get().domain());
        return (field + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The header section with the empty line that ends it, or the whole message if it has no body. */
    private static byte[] headerSection(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            int matched = 0;
            int b;
            while (matched < END_OF_HEADER.length && (b = in.read()) != -1) {
                out.write(b);
                matched = b == END_OF_HEADER[matched] ? matched + 1 : b == '\r' ? 1 : 0;
                if (out.size() > MAX_HEADER_BYTES) {
                    throw new IOException("its header section is larger than " + MAX_HEADER_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        }
    }

    /** The one domain of the From field's addresses (RFC 5322 allows several); empty if none or several. */
    private static Optional<String> fromDomain(MimeMessage headers) throws MessagingException {
        String[] fields = headers.getHeader("From");
        if (fields == null) {
            return Optional.empty();
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String field : fields) {
            InternetAddress[] addresses;
            try {
                addresses = InternetAddress.parseHeader(field, false);
            } catch (AddressException e) {
                return Optional.empty();
            }
            for (InternetAddress address : addresses) {
                String a = address.getAddress();
                int at = a == null ? -1 : a.lastIndexOf('@');
                if (at < 0) {
                    return Optional.empty();
                }
                try {
                    domains.add(MailAddress.normalizeDomain(a.substring(at + 1)));
                } catch (InvalidAddressException e) {
                    return Optional.empty();
                }
            }
        }
        return domains.size() == 1 ? Optional.of(domains.iterator().next()) : Optional.empty();
    }

    private static String strictUtf8(byte[] bytes, int offset, int length) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length))
                .toString();
    }

    private static Properties utf8Headers() {
        Properties props = new Properties();
        props.setProperty("mail.mime.allowutf8", "true");
        return props;
    }
}
