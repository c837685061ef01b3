package mailserver.smtp.dkim;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed and checked DKIM-Signature header field (RFC 6376 3.5 and 6.1.1).
 *
 * @param field           the whole field as received, without its final CRLF; one char per byte
 * @param domain          {@code d=}, lower case, A-labels
 * @param identityDomain  the domain part of {@code i=} (or {@code d=} without one), lower case
 * @param signedHeaders   {@code h=}, lower case, in order
 * @param bodyLength      {@code l=}, or {@code Long.MAX_VALUE} without one
 * @param expiration      {@code x=} in seconds since the epoch, or {@code Long.MAX_VALUE} without one
 */
record SignatureField(String field, Algorithm algorithm, Canonicalization headerCanonicalization,
        Canonicalization bodyCanonicalization, String domain, String selector, String identityDomain,
        List<String> signedHeaders, byte[] bodyHash, byte[] signature, long bodyLength, long expiration) {

    /** The {@code a=} values we know. */
    enum Algorithm {
        RSA_SHA256("rsa-sha256", "rsa", "sha256", "SHA-256", "SHA256withRSA"),
        RSA_SHA1("rsa-sha1", "rsa", "sha1", "SHA-1", "SHA1withRSA"),
        ED25519_SHA256("ed25519-sha256", "ed25519", "sha256", "SHA-256", "Ed25519");

        final String tag;
        final String keyType;
        /** The name in a key record's {@code h=}. */
        final String hash;
        final String digest;
        final String jcaSignature;

        Algorithm(String tag, String keyType, String hash, String digest, String jcaSignature) {
            this.tag = tag;
            this.keyType = keyType;
            this.hash = hash;
            this.digest = digest;
            this.jcaSignature = jcaSignature;
        }

        static Algorithm of(String tag) throws VerifyFailure {
            for (Algorithm algorithm : values()) {
                if (algorithm.tag.equalsIgnoreCase(tag)) {
                    return algorithm;
                }
            }
            throw VerifyFailure.permerror("unsupported algorithm " + tag);
        }
    }

    /** Longest {@code t=}/{@code x=} RFC 6376 allows: 12 digits. */
    private static final int MAX_TIME_DIGITS = 12;

    /** Checks the tags a verifier must check before any DNS lookup (RFC 6376 6.1.1). */
    static SignatureField parse(String field, Map<String, String> tags) throws VerifyFailure {
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.containsKey(required)) {
                throw VerifyFailure.permerror("signature missing required tag " + required + "=");
            }
        }
        if (!tags.get("v").equals("1")) {
            throw VerifyFailure.permerror("incompatible version v=" + tags.get("v"));
        }
        Algorithm algorithm = Algorithm.of(tags.get("a"));
        String[] canonicalization = tags.getOrDefault("c", "simple/simple").split("/", -1);
        if (canonicalization.length > 2) {
            throw VerifyFailure.permerror("malformed c=");
        }
        Canonicalization header = Canonicalization.of(canonicalization[0]);
        Canonicalization body = canonicalization.length == 2
                ? Canonicalization.of(canonicalization[1]) : Canonicalization.SIMPLE;
        String domain = domainName(tags.get("d"), "d=");
        String selector = domainName(tags.get("s"), "s=");
        String identityDomain = tags.containsKey("i") ? identityDomain(tags.get("i"), domain) : domain;
        List<String> signedHeaders = signedHeaders(tags.get("h"));
        if (!signedHeaders.contains("from")) {
            throw VerifyFailure.permerror("From field not signed");
        }
        if (tags.containsKey("q") && !listContains(tags.get("q"), "dns/txt")) {
            throw VerifyFailure.permerror("unsupported query method q=" + tags.get("q"));
        }
        // Long.MAX_VALUE means "no l=": a larger l= (up to 76 digits) is longer than any body all the same
        long bodyLength = tags.containsKey("l") ? Math.min(number(tags.get("l"), 76, "l="), Long.MAX_VALUE - 1)
                : Long.MAX_VALUE;
        long timestamp = tags.containsKey("t") ? number(tags.get("t"), MAX_TIME_DIGITS, "t=") : -1;
        long expiration = tags.containsKey("x") ? number(tags.get("x"), MAX_TIME_DIGITS, "x=") : Long.MAX_VALUE;
        if (expiration < timestamp) {
            throw VerifyFailure.permerror("x= is earlier than t=");
        }
        return new SignatureField(field, algorithm, header, body, domain, selector, identityDomain, signedHeaders,
                base64(tags.get("bh"), "bh="), base64(tags.get("b"), "b="), bodyLength, expiration);
    }

    /**
     * The field as it enters the header hash: the value of {@code b=} removed, surrounding
     * whitespace included (RFC 6376 3.7).
     */
    String withoutSignatureValue() {
        int colon = field.indexOf(':');
        int start = colon + 1;
        while (start <= field.length()) {
            int end = field.indexOf(';', start);
            if (end < 0) {
                end = field.length();
            }
            int equals = field.indexOf('=', start);
            if (equals >= 0 && equals < end && TagList.trim(field.substring(start, equals)).equals("b")) {
                return field.substring(0, equals + 1) + field.substring(end);
            }
            start = end + 1;
        }
        return field; // parse() saw a b= tag, so this is not reached
    }

    /**
     * What the header signature covers: the signed fields, each instance picked from the bottom
     * up, a name with no instance left adding nothing (RFC 6376 5.4.2); then this field without
     * the b= value and without CRLF (RFC 6376 3.7).
     */
    String headerHashInput(List<String> fields) {
        Map<String, Integer> used = new HashMap<>();
        StringBuilder data = new StringBuilder();
        for (String name : signedHeaders) {
            int skip = used.getOrDefault(name, 0);
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (name.equals(HeaderBlock.name(fields.get(i))) && skip-- == 0) {
                    data.append(headerCanonicalization.header(fields.get(i))).append("\r\n");
                    used.merge(name, 1, Integer::sum);
                    break;
                }
            }
        }
        return data.append(headerCanonicalization.header(withoutSignatureValue())).toString();
    }

    /** {@code value} as a checked domain name (lower case, A-labels), or null when it is none. */
    static String validName(String value) {
        try {
            return value == null ? null : domainName(value, "");
        } catch (VerifyFailure e) {
            return null;
        }
    }

    private static String domainName(String value, String tag) throws VerifyFailure {
        String name = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        try {
            name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw VerifyFailure.permerror("malformed " + tag);
        }
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw VerifyFailure.permerror("malformed " + tag);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
                throw VerifyFailure.permerror("malformed " + tag);
            }
        }
        return name;
    }

    /** The domain of {@code i=}, which must be {@code d=} or a subdomain of it (RFC 6376 6.1.1). */
    private static String identityDomain(String value, String domain) throws VerifyFailure {
        String identity = quotedPrintable(TagList.withoutWhitespace(value));
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            throw VerifyFailure.permerror("malformed i=");
        }
        String identityDomain = domainName(identity.substring(at + 1), "i=");
        if (!identityDomain.equals(domain) && !identityDomain.endsWith("." + domain)) {
            throw VerifyFailure.permerror("i= domain " + identityDomain + " is not within d=" + domain);
        }
        return identityDomain;
    }

    /** Decodes dkim-quoted-printable (RFC 6376 2.11); stays one char per byte. */
    private static String quotedPrintable(String value) throws VerifyFailure {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                if (i + 2 >= value.length()) {
                    throw VerifyFailure.permerror("malformed quoted-printable in i=");
                }
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw VerifyFailure.permerror("malformed quoted-printable in i=");
                }
                out.write(high * 16 + low);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static List<String> signedHeaders(String value) throws VerifyFailure {
        List<String> names = new ArrayList<>();
        for (String name : value.split(":", -1)) {
            String trimmed = TagList.trim(name);
            if (trimmed.isEmpty()) {
                throw VerifyFailure.permerror("empty header name in h=");
            }
            names.add(trimmed.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    static boolean listContains(String colonList, String wanted) {
        for (String item : colonList.split(":", -1)) {
            if (TagList.trim(item).equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** A decimal tag value; one too large for a long counts as {@code Long.MAX_VALUE}. */
    private static long number(String value, int maxDigits, String tag) throws VerifyFailure {
        if (value.isEmpty() || value.length() > maxDigits || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw VerifyFailure.permerror("malformed " + tag);
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    static byte[] base64(String value, String tag) throws VerifyFailure {
        try {
            return Base64.getDecoder().decode(TagList.withoutWhitespace(value));
        } catch (IllegalArgumentException e) {
            throw VerifyFailure.permerror("malformed base64 in " + tag);
        }
    }
}
