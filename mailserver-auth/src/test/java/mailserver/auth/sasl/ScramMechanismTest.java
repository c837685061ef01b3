package mailserver.auth.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.auth.directory.AccountInfo;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.StoredLogin;
import mailserver.auth.password.Passwords;
import mailserver.auth.password.ScramCredentials;
import mailserver.core.mail.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server side against RFC 7677's example exchange, and every way a client can get it wrong. */
class ScramMechanismTest {

    static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    /** Stored passwords by user name; RFC 7677's user "user" is not an address, so a map stands in for the database. */
    final Map<String, String> hashes = new HashMap<>();
    final AuthService auth = new AuthService(directory(hashes), new LoginThrottle(LoginThrottle.Settings.DEFAULTS));

    ScramMechanismTest() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        hashes.put("user", "{SCRAM-SHA-256}" + String.join(",", "4096", "W22ZaJ0SNY7soEsUEjb6gQ==",
                b64(ScramCredentials.derive(bytes("pencil"), salt, 4096).storedKey()),
                b64(ScramCredentials.derive(bytes("pencil"), salt, 4096).serverKey())));
    }

    static Directory directory(Map<String, String> hashes) {
        return (Directory) Proxy.newProxyInstance(Directory.class.getClassLoader(), new Class<?>[] {Directory.class}, (proxy, method, args) -> {
            if (!method.getName().equals("findLogin")) {
                throw new UnsupportedOperationException(method.getName());
            }
            String user = (String) args[0];
            return Optional.ofNullable(hashes.get(user)).map(hash -> new StoredLogin(
                    new AccountInfo(MailAddress.parse("user@example.test"), "", "", 0, 0, true), hash));
        });
    }

    ScramMechanism mechanism() throws Exception {
        return new ScramMechanism(new ScramContext(auth, InetAddress.getByName("192.0.2.1"), "imap"), () -> SERVER_NONCE);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    static AuthService.Result verified(ScramMechanism m) {
        assertThat(m.result()).isInstanceOf(SaslStep.Verified.class);
        return ((SaslStep.Verified) m.result()).result();
    }

    @Test
    void rfc7677ExampleExchange() throws Exception {
        ScramMechanism m = mechanism();

        assertThat(text(m.evaluate(bytes(CLIENT_FIRST)))).isEqualTo(SERVER_FIRST);
        assertThat(text(m.evaluate(bytes(CLIENT_FINAL)))).isEqualTo(SERVER_FINAL);
        assertThat(m.evaluate(new byte[0])).isNull();
        assertThat(verified(m).success()).isTrue();
        assertThat(verified(m).account()).get().extracting(AccountInfo::address).hasToString("user@example.test");
    }

    @Test
    void aWrongProofFailsWithoutServerSignature() throws Exception {
        ScramMechanism m = mechanism();
        m.evaluate(bytes(CLIENT_FIRST));
        byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        proof[0] ^= 1;

        assertThat(m.evaluate(bytes(CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf("p=") + 2) + b64(proof)))).isNull();
        assertThat(verified(m).outcome()).isEqualTo(AuthService.Outcome.FAILED);
        assertThat(verified(m).replyDelay()).isPositive();
    }

    @Test
    void theExampleWorksThroughSaslExchangeWithItsBase64() throws Exception {
        SaslExchange exchange = SaslExchange.start("scram-sha-256",
                new ScramContext(auth, InetAddress.getByName("192.0.2.1"), "imap")).orElseThrow();
        SaslStep first = exchange.begin(Optional.of(b64(bytes(CLIENT_FIRST))));

        String serverFirst = text(Base64.getDecoder().decode(((SaslStep.Challenge) first).base64()));
        assertThat(serverFirst).startsWith("r=rOprNGfwEbeRWgbNEkqO").endsWith(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertThat(SaslExchange.start("SCRAM-SHA-256")).as("not without a context").isEmpty();
    }

    @Test
    void unknownUsersAndOneWayHashesGetAStableDecoyAndFailLikeAWrongPassword() throws Exception {
        hashes.put("bcrypt", Passwords.hash("pencil".toCharArray()));
        for (String user : new String[] {"nobody", "bcrypt"}) {
            ScramMechanism m = mechanism();
            String serverFirst = text(m.evaluate(bytes("n,,n=" + user + ",r=abc")));
            assertThat(serverFirst).matches("r=abc%hvYDpWUa2RaTCAfuxFIlj\\)hNlF\\$k0,s=[A-Za-z0-9+/=]{24},i=4096");
            assertThat(text(mechanism().evaluate(bytes("n,,n=" + user + ",r=abc")))).as("same salt again").isEqualTo(serverFirst);

            m.evaluate(bytes("c=biws,r=abc" + SERVER_NONCE + ",p=" + b64(new byte[32])));
            assertThat(verified(m).outcome()).isEqualTo(AuthService.Outcome.FAILED);
        }
    }

    @Test
    void aPlaintextStoredPasswordCanDoScram() throws Exception {
        hashes.put("user", "{PLAIN}pencil");
        ScramMechanism m = mechanism();
        String serverFirst = text(m.evaluate(bytes(CLIENT_FIRST)));
        byte[] salt = Base64.getDecoder().decode(serverFirst.substring(serverFirst.indexOf(",s=") + 3, serverFirst.indexOf(",i=")));
        ScramCredentials keys = ScramCredentials.derive(bytes("pencil"), salt, 4096);
        String withoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE;
        byte[] authMessage = bytes(CLIENT_FIRST.substring(3) + "," + serverFirst + "," + withoutProof);
        byte[] proof = derivedClientKey("pencil", salt);
        byte[] signature = ScramCredentials.hmac(keys.storedKey(), authMessage);
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= signature[i];
        }

        assertThat(text(m.evaluate(bytes(withoutProof + ",p=" + b64(proof)))))
                .isEqualTo("v=" + b64(ScramCredentials.hmac(keys.serverKey(), authMessage)));
    }

    /** ClientKey = HMAC(SaltedPassword, "Client Key"), recomputed from its parts as a client does. */
    static byte[] derivedClientKey(String password, byte[] salt) throws Exception {
        javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = f.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, 4096, 256)).getEncoded();
        return ScramCredentials.hmac(salted, bytes("Client Key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"n=user,r=abc", "p=tls-unique,,n=user,r=abc", "x,,n=user,r=abc", "n,,r=abc,n=user", "n,,n=user",
            "n,,m=ext,n=user,r=abc", "n,,n=us=er,r=abc", "n,,n=us=2,r=abc", "n,,n=,r=abc", "n,,n=user,r=", "n,,n=user,r=a b",
            "n,,n=user,r=a\u0001", "n", "n,", "n,,"})
    void aMalformedClientFirstMessageFails(String message) throws Exception {
        assertThatThrownBy(() -> mechanism().evaluate(bytes(message)))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.reason()).isEqualTo(SaslException.Reason.MALFORMED));
    }

    @Test
    void anAuthorizationIdentityOtherThanTheUserIsRefused() throws Exception {
        assertThatThrownBy(() -> mechanism().evaluate(bytes("n,a=admin,n=user,r=abc")))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.reason()).isEqualTo(SaslException.Reason.AUTHZID_MISMATCH));
        assertThat(text(mechanism().evaluate(bytes("n,a=user,n=user,r=abc")))).startsWith("r=abc");
    }

    @Test
    void escapedUserNamesAreDecoded() throws Exception {
        hashes.put("a,b=c", hashes.get("user"));
        assertThat(text(mechanism().evaluate(bytes("n,,n=a=2Cb=3Dc,r=abc")))).contains(",s=W22ZaJ0SNY7soEsUEjb6gQ==,");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
        "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=not*base64",
        "c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="})
    void aMalformedClientFinalMessageFails(String message) throws Exception {
        ScramMechanism m = mechanism();
        m.evaluate(bytes(CLIENT_FIRST));
        assertThatThrownBy(() -> m.evaluate(bytes(message)))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.reason()).isEqualTo(SaslException.Reason.MALFORMED));
    }

    @Test
    void aShortProofIsAWrongPasswordNotACrash() throws Exception {
        ScramMechanism m = mechanism();
        m.evaluate(bytes(CLIENT_FIRST));
        assertThat(m.evaluate(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE + ",p=AAAA"))).isNull();
        assertThat(verified(m).outcome()).isEqualTo(AuthService.Outcome.FAILED);
    }

    @Test
    void anythingButAnEmptyAnswerToServerFinalFails() throws Exception {
        ScramMechanism m = mechanism();
        m.evaluate(bytes(CLIENT_FIRST));
        m.evaluate(bytes(CLIENT_FINAL));
        assertThatThrownBy(() -> m.evaluate(bytes("more")))
                .isInstanceOfSatisfying(SaslException.class, e -> assertThat(e.reason()).isEqualTo(SaslException.Reason.MALFORMED));
    }

    @Test
    void notUtf8Fails() {
        assertThatThrownBy(() -> mechanism().evaluate(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xff, ',', 'r', '=', 'a'}))
                .isInstanceOf(SaslException.class);
    }
}
