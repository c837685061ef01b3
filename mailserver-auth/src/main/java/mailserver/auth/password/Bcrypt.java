package mailserver.auth.password;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Dovecot's BLF-CRYPT: bcrypt as {@code $2y$}, {@code $2a$} or {@code $2b$}. */
final class Bcrypt implements PasswordScheme {

    /** Each step doubles the time; 16 is already seconds in Java, so more is a broken row. */
    static final int MAX_COST = 16;
    /** bcrypt reads at most 72 bytes; crypt() (and so Dovecot) ignores the rest, BouncyCastle refuses it. */
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./0-9A-Za-z]{53}");

    private final int cost;

    Bcrypt(int cost) {
        this.cost = cost;
    }

    @Override
    public boolean matches(byte[] password, String encoded) throws PasswordSchemeException {
        Matcher m = FORMAT.matcher(encoded);
        if (!m.matches()) {
            throw new PasswordSchemeException("malformed bcrypt hash");
        }
        int storedCost = Integer.parseInt(m.group(1));
        if (storedCost < 4 || storedCost > MAX_COST) {
            throw new PasswordSchemeException("bcrypt cost " + storedCost + " outside 4.." + MAX_COST);
        }
        byte[] used = Arrays.copyOf(password, Math.min(password.length, MAX_PASSWORD_BYTES));
        try {
            return OpenBSDBCrypt.checkPassword(encoded, used);
        } finally {
            Arrays.fill(used, (byte) 0);
        }
    }

    @Override
    public String encode(byte[] password) {
        byte[] used = Arrays.copyOf(password, Math.min(password.length, MAX_PASSWORD_BYTES));
        try {
            return OpenBSDBCrypt.generate("2y", used, Salts.random(16), cost);
        } finally {
            Arrays.fill(used, (byte) 0);
        }
    }
}
