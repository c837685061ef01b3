package mailserver.smtp.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * RSA key material for DKIM, in the forms the directory stores: the private key as PEM
 * {@code PRIVATE KEY} (PKCS#8, what {@code openssl genpkey} and opendkim-genkey write), the public
 * key as base64 DER SubjectPublicKeyInfo, which is exactly the {@code p=} of the DNS record.
 */
public final class DkimKeys {

    /** RFC 8301: at least 1024 bits, 2048 recommended; 2048 still fits a TXT record everywhere. */
    public static final int RSA_BITS = 2048;

    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    /** @param publicKey base64 DER SubjectPublicKeyInfo */
    public record GeneratedKey(String privateKeyPem, String publicKey) {

        @Override
        public String toString() {
            return "GeneratedKey[p=" + publicKey + "]";
        }
    }

    private DkimKeys() {
    }

    public static GeneratedKey generate() {
        KeyPairGenerator generator;
        try {
            generator = KeyPairGenerator.getInstance("RSA");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has RSA", e);
        }
        generator.initialize(RSA_BITS);
        KeyPair pair = generator.generateKeyPair();
        String pem = PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n" + PEM_END + "\n";
        return new GeneratedKey(pem, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    }

    /** Reads a PEM PKCS#8 RSA private key, as {@link #generate()} writes it. */
    public static RSAPrivateKey privateKey(String pem) throws GeneralSecurityException {
        String text = pem.strip();
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)) {
            throw new GeneralSecurityException("not a PEM \"PRIVATE KEY\" (PKCS#8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length()));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("bad base64 in the PEM private key", e);
        }
        return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
