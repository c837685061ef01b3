package mailserver.smtp.dkim;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

/**
 * Computes a DKIM-Signature field with java-utils-mail-dkim without letting Jakarta Mail write
 * the message. The library only signs inside {@code DkimMessage.writeTo}, which re-serialises
 * the whole message; here its signing step is called directly (it is {@code protected}) on a
 * message that holds our parsed header section and the raw body, and the caller prepends the
 * field to the original bytes. What the library reads:
 * <ul>
 * <li>the header fields, from {@code getAllHeaders()} (overridden: our parse, with UTF-8 header
 * text; the copy {@code DkimMessage}'s constructor makes re-reads them as ISO-8859-1, which
 * would hash UTF-8 fields wrongly; names lower-cased, see there): every instance of each name
 * in its list, bottom-up, canonicalised relaxed;</li>
 * <li>the body, from {@code getEncodedBody()} (overridden: the body as received);</li>
 * <li>{@code t=}, from {@code getSentDate()} (overridden: now, not the client's Date field, which
 * may be far off and make verifiers reject a "future" signature).</li>
 * </ul>
 */
final class LibrarySignature {

    private LibrarySignature() {
    }

    /**
     * The field, {@code DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; ...}, folded with
     * CRLF TAB, without the final CRLF.
     *
     * @param headers the message's header section, parsed with {@code mail.mime.allowutf8}
     * @param body    the body exactly as it will be sent (the library hashes its UTF-8 bytes)
     */
    static String field(MimeMessage headers, String body, DkimKeyCache.SigningKey key) throws MessagingException {
        FieldSigner signer = new FieldSigner(key);
        return signer.field(new ReceivedMessage(headers, body, signer));
    }

    private static final class FieldSigner extends org.simplejavamail.utils.mail.dkim.DkimSigner {

        FieldSigner(DkimKeyCache.SigningKey key) {
            super(key.domain(), key.selector(), key.privateKey());
            setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
            setHeaderCanonicalization(Canonicalization.RELAXED);
            setBodyCanonicalization(Canonicalization.RELAXED);
            // Otherwise it looks the key up in DNS before every signature.
            setCheckDomainKey(false);
        }

        String field(DkimMessage message) throws MessagingException {
            return sign(message);
        }
    }

    private static final class ReceivedMessage extends DkimMessage {

        private final MimeMessage headers;
        private final String body;

        ReceivedMessage(MimeMessage headers, String body, FieldSigner signer) throws MessagingException {
            super(headers, signer);
            this.headers = headers;
            this.body = body;
        }

        /**
         * Names in lower case already: the library lower-cases them with the JVM's default locale,
         * which in a Turkish one turns the I of MIME-Version into a dotless i, and breaks the hash.
         */
        @Override
        public Enumeration<Header> getAllHeaders() throws MessagingException {
            List<Header> fields = new ArrayList<>();
            for (Header field : Collections.list(headers.getAllHeaders())) {
                fields.add(new Header(field.getName().toLowerCase(Locale.ROOT), field.getValue()));
            }
            return Collections.enumeration(fields);
        }

        @Override
        protected String getEncodedBody() {
            return body;
        }

        @Override
        public Date getSentDate() {
            return null;
        }
    }
}
