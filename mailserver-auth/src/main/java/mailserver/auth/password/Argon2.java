package mailserver.auth.password;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * ARGON2I and ARGON2ID in the PHC string format Dovecot (libsodium) writes:
 * {@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>}, base64 without padding.
 */
final class Argon2 implements PasswordScheme {

    /** A stored row decides how much memory one check takes; cap it so one row cannot exhaust the heap. */
    static final int MAX_MEMORY_KIB = 256 * 1024;
    static final int MAX_ITERATIONS = 32;
    static final int MAX_PARALLELISM = 16;
    private static final Pattern FORMAT = Pattern.compile(
            "\\$(argon2id|argon2i)\\$v=(16|19)\\$m=([0-9]{1,8}),t=([0-9]{1,4}),p=([0-9]{1,3})\\$([A-Za-z0-9+/]{11,128})\\$([A-Za-z0-9+/]{6,1400})");

    private final String name;
    private final int type;

    private Argon2(String name, int type) {
        this.name = name;
        this.type = type;
    }

    static Argon2 argon2i() {
        return new Argon2("argon2i", Argon2Parameters.ARGON2_i);
    }

    static Argon2 argon2id() {
        return new Argon2("argon2id", Argon2Parameters.ARGON2_id);
    }

    @Override
    public boolean matches(byte[] password, String encoded) throws PasswordSchemeException {
        Matcher m = FORMAT.matcher(encoded);
        if (!m.matches() || !m.group(1).equals(name)) {
            throw new PasswordSchemeException("malformed $" + name + "$ hash");
        }
        int memory = Integer.parseInt(m.group(3));
        int iterations = Integer.parseInt(m.group(4));
        int parallelism = Integer.parseInt(m.group(5));
        if (memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || parallelism > MAX_PARALLELISM
                || iterations < 1 || parallelism < 1 || memory < 8 * parallelism) {
            throw new PasswordSchemeException("$" + name + "$ parameters m=" + memory + ",t=" + iterations + ",p=" + parallelism
                    + " outside m<=" + MAX_MEMORY_KIB + ",t<=" + MAX_ITERATIONS + ",p<=" + MAX_PARALLELISM);
        }
        int version = m.group(2).equals("19") ? Argon2Parameters.ARGON2_VERSION_13 : Argon2Parameters.ARGON2_VERSION_10;
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(m.group(7));
        byte[] actual = hash(password, b64.decode(m.group(6)), version, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** libsodium's crypto_pwhash_STRBYTES defaults, which Dovecot uses: 64 MiB, 3 passes, 1 lane. */
    @Override
    public String encode(byte[] password) {
        byte[] salt = Salts.random(16);
        int memory = 65536;
        int iterations = 3;
        byte[] hash = hash(password, salt, Argon2Parameters.ARGON2_VERSION_13, memory, iterations, 1, 32);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$" + name + "$v=19$m=" + memory + ",t=" + iterations + ",p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private byte[] hash(byte[] password, byte[] salt, int version, int memory, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type)
                .withVersion(version)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        byte[] copy = Arrays.copyOf(password, password.length);
        generator.generateBytes(copy, out);
        Arrays.fill(copy, (byte) 0);
        return out;
    }
}
