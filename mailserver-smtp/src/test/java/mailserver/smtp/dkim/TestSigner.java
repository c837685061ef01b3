package mailserver.smtp.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

import mailserver.smtp.dkim.SignatureField.Algorithm;

/**
 * Signs test messages with the verifier's own canonicalisation, for the key record and
 * policy cases. That the canonicalisation itself agrees with other implementations is what
 * the python3-dkim and OpenDKIM tests show.
 */
final class TestSigner {

    private final KeyPair keys;
    private final Algorithm algorithm;
    private String canonicalization = "relaxed/relaxed";
    private String signedHeaders = "from:to:subject";
    private String extraTags = "";

    private TestSigner(KeyPair keys, Algorithm algorithm) {
        this.keys = keys;
        this.algorithm = algorithm;
    }

    static TestSigner rsa(int bits) {
        return new TestSigner(generate("RSA", bits), Algorithm.RSA_SHA256);
    }

    static TestSigner ed25519() {
        return new TestSigner(generate("Ed25519", 0), Algorithm.ED25519_SHA256);
    }

    /** The same key with another a=, e.g. rsa-sha1. */
    TestSigner algorithm(Algorithm other) {
        return new TestSigner(keys, other).canonicalization(canonicalization).headers(signedHeaders).tags(extraTags);
    }

    TestSigner canonicalization(String value) {
        canonicalization = value;
        return this;
    }

    TestSigner headers(String value) {
        signedHeaders = value;
        return this;
    }

    /** Tags put before h=, e.g. {@code "l=10; i=@sub.example.test; "}. */
    TestSigner tags(String value) {
        extraTags = value;
        return this;
    }

    /** The p= value of the key record. */
    String publicKey() {
        byte[] encoded = keys.getPublic().getEncoded();
        if (algorithm == Algorithm.ED25519_SHA256) {
            byte[] raw = new byte[32]; // RFC 8463: the raw key, the last 32 octets of the SPKI
            System.arraycopy(encoded, encoded.length - 32, raw, 0, 32);
            encoded = raw;
        }
        return Base64.getEncoder().encodeToString(encoded);
    }

    /** The key record, e.g. {@code "v=DKIM1; k=rsa; p=..."}. */
    String keyRecord() {
        return "v=DKIM1; k=" + algorithm.keyType + "; p=" + publicKey();
    }

    /** {@code message} with a DKIM-Signature field in front. */
    byte[] sign(String domain, String selector, byte[] message) {
        try (InputStream in = new ByteArrayInputStream(message)) {
            HeaderBlock headers = HeaderBlock.read(in, DkimVerifier.MAX_HEADER_BYTES);
            String[] canon = (canonicalization + "/simple").split("/");
            String l = extraTags.replaceAll("(?s).*\\bl=(\\d+).*", "$1");
            long length = l.equals(extraTags) || l.length() > 18 ? Long.MAX_VALUE : Long.parseLong(l);
            BodyHasher body = new BodyHasher(Canonicalization.of(canon[1]),
                    MessageDigest.getInstance(algorithm.digest), length);
            byte[] rest = in.readAllBytes();
            body.update(rest, 0, rest.length);
            String field = "DKIM-Signature: v=1; a=" + algorithm.tag + "; c=" + canonicalization + "; d=" + domain
                    + "; s=" + selector + ";\r\n\t" + extraTags + "h=" + signedHeaders
                    + ";\r\n\tbh=" + Base64.getEncoder().encodeToString(body.finish()) + ";\r\n\tb=";
            // built directly, not parsed: tests sign fields the verifier must refuse
            SignatureField unsigned = new SignatureField(field, algorithm, Canonicalization.of(canon[0]),
                    Canonicalization.of(canon[1]), domain, selector, domain, List.of(signedHeaders.split(":")),
                    new byte[0], new byte[0], length, Long.MAX_VALUE);
            byte[] data = unsigned.headerHashInput(headers.fields()).getBytes(StandardCharsets.ISO_8859_1);
            String b = Base64.getEncoder().encodeToString(sign(data));
            return (field + b + "\r\n" + new String(message, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | VerifyFailure e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] sign(byte[] data) throws GeneralSecurityException {
        if (algorithm == Algorithm.ED25519_SHA256) {
            data = MessageDigest.getInstance("SHA-256").digest(data);
        }
        Signature signer = Signature.getInstance(algorithm.jcaSignature);
        signer.initSign(keys.getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private static KeyPair generate(String type, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if (bits > 0) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
