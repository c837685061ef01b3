package mailserver.smtp.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import mailserver.core.dns.DnsAnswer;
import mailserver.core.dns.DnsResolver;
import mailserver.smtp.dkim.DkimResult.Result;
import mailserver.smtp.dkim.SignatureField.Algorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the DKIM signatures of a message file (RFC 6376 section 6, RFC 8301, RFC 8463):
 * rsa-sha256 and ed25519-sha256, simple and relaxed canonicalisation, any number of
 * signatures. The header block is read once; the body is read once, streamed through one
 * hasher per distinct (canonicalisation, hash, l=) the signatures need. docs/smtp.md ("DKIM
 * verification") lists how each RFC outcome maps onto a result.
 */
public final class DkimVerifier {

    private static final Logger log = LoggerFactory.getLogger(DkimVerifier.class);

    /** A header block longer than this is not verified (Postfix keeps 100 KiB of headers). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Signatures beyond this many are not checked, so a message cannot order endless DNS lookups. */
    static final int MAX_SIGNATURES = 10;

    private final Function<String, DnsAnswer<List<String>>> txt;
    private final Clock clock;

    public DkimVerifier(DnsResolver dns) {
        this(dns::txt, Clock.systemUTC());
    }

    /** @param txt the TXT lookup, as {@link DnsResolver#txt(String)} */
    DkimVerifier(Function<String, DnsAnswer<List<String>>> txt, Clock clock) {
        this.txt = Objects.requireNonNull(txt);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Blocking. One result per DKIM-Signature header, in header order; empty = unsigned
     * (dkim=none). Never throws for bad input (a malformed signature is a PERMERROR result).
     */
    public List<DkimResult> verify(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 64 * 1024)) {
            HeaderBlock headers = HeaderBlock.read(in, MAX_HEADER_BYTES);
            List<Check> checks = new ArrayList<>();
            Map<String, DnsAnswer<List<String>>> lookups = new HashMap<>();
            for (String field : headers.fields()) {
                if ("dkim-signature".equals(HeaderBlock.name(field))) {
                    Check check = new Check(field);
                    if (headers.truncated()) {
                        check.end(VerifyFailure.permerror("header block longer than " + MAX_HEADER_BYTES + " octets"));
                    } else if (checks.size() >= MAX_SIGNATURES) {
                        check.end(VerifyFailure.permerror("more than " + MAX_SIGNATURES + " signatures; not checked"));
                    } else {
                        check.prepare(lookups);
                    }
                    checks.add(check);
                }
            }
            Map<BodyHashKey, BodyHasher> hashers = new LinkedHashMap<>();
            for (Check check : checks) {
                if (check.result == null) {
                    hashers.computeIfAbsent(check.bodyHashKey(), BodyHashKey::hasher);
                }
            }
            Map<BodyHashKey, BodyHash> bodyHashes = hashBody(in, hashers);
            List<DkimResult> results = new ArrayList<>(checks.size());
            for (Check check : checks) {
                if (check.result == null) {
                    check.complete(headers.fields(), bodyHashes.get(check.bodyHashKey()));
                }
                results.add(check.toResult());
            }
            return results;
        }
    }

    /** Reads the rest of the message once, through every hasher; reads nothing without hashers. */
    private static Map<BodyHashKey, BodyHash> hashBody(InputStream in, Map<BodyHashKey, BodyHasher> hashers)
            throws IOException {
        if (hashers.isEmpty()) {
            return Map.of();
        }
        byte[] buffer = new byte[64 * 1024];
        int count;
        while ((count = in.read(buffer)) > 0) {
            for (BodyHasher hasher : hashers.values()) {
                hasher.update(buffer, 0, count);
            }
        }
        Map<BodyHashKey, BodyHash> hashes = new HashMap<>();
        hashers.forEach((key, hasher) -> hashes.put(key, new BodyHash(hasher.finish(), hasher.length())));
        return hashes;
    }

    /** @param length the whole canonical body's length, beyond any l= */
    private record BodyHash(byte[] hash, long length) {
    }

    /** What one body hash depends on; signatures that agree on it share one hasher. */
    private record BodyHashKey(Canonicalization canonicalization, String digest, long length) {
        BodyHasher hasher() {
            try {
                return new BodyHasher(canonicalization, MessageDigest.getInstance(digest), length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + digest, e);
            }
        }
    }

    /** The verification of one DKIM-Signature field, in the steps {@link #verify} drives. */
    private final class Check {
        private final String field;
        private Map<String, String> tags = Map.of();
        private SignatureField signature;
        private PublicKeyRecord key;
        /** The key record (usable or not) has {@code t=y}. */
        private boolean testing;
        /** Set once the outcome is known. */
        private Result result;
        private String reason;

        Check(String field) {
            this.field = field;
        }

        /** Parses the field and fetches the key: everything before the body is read. */
        void prepare(Map<String, DnsAnswer<List<String>>> lookups) {
            try {
                int colon = field.indexOf(':');
                tags = TagList.parse(field.substring(colon + 1));
                signature = SignatureField.parse(field, tags);
                if (signature.expiration() < clock.instant().getEpochSecond()) {
                    throw VerifyFailure.fail("signature expired");
                }
                String name = signature.selector() + "._domainkey." + signature.domain();
                key = publicKey(lookups.computeIfAbsent(name, txt), name);
            } catch (VerifyFailure failure) {
                end(failure);
            } catch (RuntimeException e) {
                end(unexpected(e));
            }
        }

        private PublicKeyRecord publicKey(DnsAnswer<List<String>> answer, String name) throws VerifyFailure {
            switch (answer.status()) {
                case TEMPORARY_FAILURE -> throw VerifyFailure.temperror("key lookup " + name + ": " + answer.error());
                case NXDOMAIN, NO_DATA -> throw VerifyFailure.permerror("no key record at " + name);
                default -> {
                    // RFC 6376 6.1.2 lets a verifier pick among several records: the first usable one
                    VerifyFailure first = null;
                    for (String record : answer.value()) {
                        try {
                            PublicKeyRecord parsed = PublicKeyRecord.parse(record, signature);
                            testing = parsed.testing();
                            return parsed;
                        } catch (VerifyFailure failure) {
                            if (first == null) {
                                first = failure;
                                testing = PublicKeyRecord.testing(record);
                            }
                        }
                    }
                    throw first != null ? first : VerifyFailure.permerror("no key record at " + name);
                }
            }
        }

        BodyHashKey bodyHashKey() {
            return new BodyHashKey(signature.bodyCanonicalization(), signature.algorithm().digest, signature.bodyLength());
        }

        /** Compares the body hash and checks the signature over the header fields. */
        void complete(List<String> fields, BodyHash body) {
            VerifyFailure failure = null;
            try {
                verifyBodyAndSignature(fields, body);
            } catch (VerifyFailure e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = unexpected(e);
            }
            if (signature.algorithm() == Algorithm.RSA_SHA1) {
                // checked to the end all the same, so the reason tells a broken signature from an old one
                failure = VerifyFailure.permerror("rsa-sha1 is not accepted (RFC 8301); "
                        + (failure == null ? "the signature is otherwise valid" : "besides, " + failure.reason()));
            }
            if (failure == null) {
                result = Result.PASS;
            } else {
                end(failure);
            }
        }

        private void verifyBodyAndSignature(List<String> fields, BodyHash body) throws VerifyFailure {
            boolean limited = signature.bodyLength() != Long.MAX_VALUE;
            if (limited && body.length() < signature.bodyLength()) {
                throw VerifyFailure.fail("body shorter than l=" + signature.bodyLength());
            }
            if (!MessageDigest.isEqual(body.hash(), signature.bodyHash())) {
                throw VerifyFailure.fail("body hash did not verify");
            }
            if (!signatureValid(fields)) {
                throw VerifyFailure.fail("signature did not verify");
            }
            if (limited && body.length() > signature.bodyLength()) {
                throw VerifyFailure.policy((body.length() - signature.bodyLength()) + " body octets not covered by l=");
            }
        }

        private boolean signatureValid(List<String> fields) throws VerifyFailure {
            byte[] data = signature.headerHashInput(fields).getBytes(StandardCharsets.ISO_8859_1);
            try {
                Algorithm algorithm = signature.algorithm();
                if (algorithm == Algorithm.ED25519_SHA256) {
                    // RFC 8463 3: ed25519 signs the SHA-256 hash of the header data, not the data
                    data = MessageDigest.getInstance(algorithm.digest).digest(data);
                }
                Signature verifier = Signature.getInstance(algorithm.jcaSignature);
                verifier.initVerify(key.key());
                verifier.update(data);
                return verifier.verify(signature.signature());
            } catch (SignatureException e) {
                return false; // b= is not even shaped like a signature of this key
            } catch (InvalidKeyException e) {
                throw VerifyFailure.permerror("key record holds an unusable key");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK cannot verify " + signature.algorithm().tag, e);
            }
        }

        void end(VerifyFailure failure) {
            if (testing && failure.result() != Result.TEMPERROR) {
                // RFC 6376 3.6.1 t=y: treat like an unsigned message, never worse
                result = Result.NEUTRAL;
                reason = "key in testing mode (t=y): " + failure.reason();
            } else {
                result = failure.result();
                reason = failure.reason();
            }
        }

        /** Input must never escape as an exception; one that does is a bug, logged to be found. */
        private VerifyFailure unexpected(RuntimeException e) {
            log.warn("DKIM verification failed unexpectedly on signature {}", field, e);
            return VerifyFailure.permerror("unexpected " + e);
        }

        /** The tags as far as they are safe to show: the checks put them into a header field. */
        DkimResult toResult() {
            String domain = signature != null ? signature.domain() : SignatureField.validName(tags.get("d"));
            String selector = signature != null ? signature.selector() : SignatureField.validName(tags.get("s"));
            String prefix = token(tags.get("b"));
            if (prefix != null && prefix.length() > 8) {
                prefix = prefix.substring(0, 8);
            }
            String algorithm = token(tags.get("a"));
            return new DkimResult(result, domain, selector, token(tags.get("i")),
                    algorithm == null ? null : algorithm.toLowerCase(Locale.ROOT), reason, prefix);
        }
    }

    /** {@code value} without folding whitespace, or null when absent or holding anything but printable ASCII. */
    private static String token(String value) {
        if (value == null) {
            return null;
        }
        String token = TagList.withoutWhitespace(value);
        return !token.isEmpty() && token.chars().allMatch(c -> c > ' ' && c < 0x7f) ? token : null;
    }
}
