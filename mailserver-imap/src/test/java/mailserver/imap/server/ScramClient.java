package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802), written apart from the server's code (the JDK's
 * PBKDF2 here, a hand-rolled Hi() there) so the two check each other. Messages are base64, as
 * IMAP carries them.
 */
final class ScramClient {

    private final String username;
    private final String password;
    private final String clientNonce;
    private String serverSignature;

    ScramClient(String username, String password) {
        this.username = username;
        this.password = password;
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        this.clientNonce = Base64.getEncoder().encodeToString(random);
    }

    private String clientFirstBare() {
        return "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    String clientFirst() {
        return b64("n,," + clientFirstBare());
    }

    /** The client-final-message for the server-first one, both base64. */
    String clientFinal(String serverFirstBase64) throws Exception {
        String serverFirst = new String(Base64.getDecoder().decode(serverFirstBase64), StandardCharsets.UTF_8);
        String[] parts = serverFirst.split(",");
        assertThat(parts[0]).startsWith("r=" + clientNonce);
        byte[] salt = Base64.getDecoder().decode(parts[1].substring(2));
        int iterations = Integer.parseInt(parts[2].substring(2));
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=biws," + parts[0];
        String authMessage = clientFirstBare() + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        serverSignature = "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
        return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** The server-final-message the server must send, base64: proof that it knows the password too. */
    String expectedServerFinal() {
        return b64(serverSignature);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
