package mailserver.smtp.dkim;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;

import mailserver.smtp.dkim.SignatureField.Algorithm;

/**
 * A DKIM key record ({@code <s>._domainkey.<d>} TXT, RFC 6376 3.6.1) checked against the
 * signature it is to verify (RFC 6376 6.1.2, RFC 8301, RFC 8463).
 *
 * @param testing {@code t=y}: the domain is testing DKIM
 */
record PublicKeyRecord(PublicKey key, boolean testing) {

    /** RFC 8301 3.2: verifiers must not accept RSA keys shorter than this. */
    static final int MIN_RSA_BITS = 1024;

    /** DER of SubjectPublicKeyInfo { id-Ed25519 } up to the raw 32-octet key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = HexFormat.of().parseHex("300d06092a864886f70d0101010500");

    static PublicKeyRecord parse(String text, SignatureField signature) throws VerifyFailure {
        Map<String, String> tags = TagList.parse(text);
        if (tags.containsKey("v")) {
            if (!tags.keySet().iterator().next().equals("v") || !tags.get("v").equals("DKIM1")) {
                throw VerifyFailure.permerror("key record with unknown version");
            }
        }
        Algorithm algorithm = signature.algorithm();
        if (tags.containsKey("h") && !SignatureField.listContains(tags.get("h"), algorithm.hash)) {
            throw VerifyFailure.permerror("key record does not allow " + algorithm.hash + " (h=" + tags.get("h") + ")");
        }
        String keyType = tags.getOrDefault("k", "rsa");
        if (!keyType.equalsIgnoreCase("rsa") && !keyType.equalsIgnoreCase("ed25519")) {
            throw VerifyFailure.permerror("unknown key type k=" + keyType);
        }
        if (tags.containsKey("s") && !SignatureField.listContains(tags.get("s"), "email")
                && !SignatureField.listContains(tags.get("s"), "*")) {
            throw VerifyFailure.permerror("key not for email (s=" + tags.get("s") + ")");
        }
        if (!tags.containsKey("p")) {
            throw VerifyFailure.permerror("key record without p=");
        }
        if (TagList.withoutWhitespace(tags.get("p")).isEmpty()) {
            throw VerifyFailure.fail("key revoked");
        }
        if (!keyType.equalsIgnoreCase(algorithm.keyType)) {
            throw VerifyFailure.permerror("key type " + keyType + " does not match a=" + algorithm.tag);
        }
        String flags = tags.getOrDefault("t", "");
        if (SignatureField.listContains(flags, "s") && !signature.identityDomain().equals(signature.domain())) {
            throw VerifyFailure.permerror("key requires i= in exactly d= (t=s), not " + signature.identityDomain());
        }
        byte[] encoded = SignatureField.base64(tags.get("p"), "key p=");
        PublicKey key = algorithm.keyType.equals("rsa") ? rsaKey(encoded) : ed25519Key(encoded);
        return new PublicKeyRecord(key, SignatureField.listContains(flags, "y"));
    }

    /** Whether {@code text} has the testing flag, even if it is no usable key record. */
    static boolean testing(String text) {
        try {
            return SignatureField.listContains(TagList.parse(text).getOrDefault("t", ""), "y");
        } catch (VerifyFailure e) {
            return false;
        }
    }

    private static PublicKey rsaKey(byte[] encoded) throws VerifyFailure {
        RSAPublicKey key;
        try {
            key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | ClassCastException e) {
            // RFC 6376 3.6.1 names the bare RSAPublicKey, which some records really hold
            try {
                key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new X509EncodedKeySpec(spkiOfPkcs1(encoded)));
            } catch (GeneralSecurityException | ClassCastException e2) {
                throw VerifyFailure.permerror("malformed RSA key in p=");
            }
        }
        int bits = key.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw VerifyFailure.permerror("RSA key of " + bits + " bits is shorter than " + MIN_RSA_BITS + " (RFC 8301)");
        }
        return key;
    }

    private static PublicKey ed25519Key(byte[] encoded) throws VerifyFailure {
        if (encoded.length != 32) {
            throw VerifyFailure.permerror("ed25519 key in p= is not 32 octets");
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + encoded.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(encoded, 0, spki, ED25519_SPKI_PREFIX.length, encoded.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw VerifyFailure.permerror("malformed ed25519 key in p=");
        }
    }

    /** SubjectPublicKeyInfo { rsaEncryption, BIT STRING { pkcs1 } }. */
    private static byte[] spkiOfPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream bitString = new ByteArrayOutputStream();
        bitString.write(0); // no unused bits
        bitString.writeBytes(pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RSA_ALGORITHM_IDENTIFIER);
        derElement(body, 0x03, bitString.toByteArray());
        ByteArrayOutputStream spki = new ByteArrayOutputStream();
        derElement(spki, 0x30, body.toByteArray());
        return spki.toByteArray();
    }

    private static void derElement(ByteArrayOutputStream out, int tag, byte[] content) {
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
    }
}
