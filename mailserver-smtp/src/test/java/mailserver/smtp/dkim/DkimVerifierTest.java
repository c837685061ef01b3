package mailserver.smtp.dkim;

import static mailserver.smtp.dkim.DkimTestDns.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mailserver.smtp.dkim.DkimResult.Result;
import mailserver.smtp.dkim.SignatureField.Algorithm;

/**
 * Key records and signature tags through a loopback DNS server: each case publishes a record
 * variant, signs with {@link TestSigner} and checks the result and its reason.
 */
class DkimVerifierTest {

    private static final String DOMAIN = "example.test";
    private static final byte[] MESSAGE = crlf("""
            Received: from a.example by b.example; Sun, 29 Nov 2026 09:00:00 +0000
            Received: from c.example by a.example; Sun, 29 Nov 2026 08:59:00 +0000
            From: Alice <alice@example.test>
            To: bob@example.org
            Subject: Hello   there
            Date: Sun, 29 Nov 2026 09:00:00 +0000

            Body line one \t
            \tline two

            """);

    /** Made once: RSA key generation is slow. */
    private static TestSigner rsa;
    private static TestSigner ed25519;
    private static DkimTestDns dns;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        rsa = TestSigner.rsa(2048);
        ed25519 = TestSigner.ed25519();
        dns = DkimTestDns.start();
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @BeforeEach
    void reset() {
        dns.server().clear();
        rsa.canonicalization("relaxed/relaxed").headers("from:to:subject").tags("");
        ed25519.canonicalization("relaxed/relaxed").headers("from:to:subject").tags("");
    }

    @Test
    void rsaSha256Passes() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        byte[] signed = rsa.sign(DOMAIN, "sel", MESSAGE);

        List<DkimResult> results = verify(signed);

        assertThat(results).hasSize(1);
        DkimResult result = results.get(0);
        assertThat(result.result()).as(result.reason()).isEqualTo(Result.PASS);
        assertThat(result.domain()).isEqualTo(DOMAIN);
        assertThat(result.selector()).isEqualTo("sel");
        assertThat(result.algorithm()).isEqualTo("rsa-sha256");
        assertThat(result.identity()).isNull();
        assertThat(result.reason()).isNull();
        assertThat(result.signaturePrefix()).hasSize(8).isEqualTo(bValue(signed).substring(0, 8));
        assertThat(result.result().keyword()).isEqualTo("pass");
    }

    @Test
    void everyCanonicalizationPairPasses() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        for (String c : List.of("simple/simple", "simple/relaxed", "relaxed/simple", "relaxed/relaxed", "relaxed")) {
            assertThat(single(rsa.canonicalization(c).sign(DOMAIN, "sel", MESSAGE))).as(c).isEqualTo(Result.PASS);
        }
    }

    @Test
    void ed25519Passes() {
        dns.publish("ed", DOMAIN, ed25519.keyRecord());
        List<DkimResult> results = verify(ed25519.sign(DOMAIN, "ed", MESSAGE));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).as(r.reason()).isEqualTo(Result.PASS);
            assertThat(r.algorithm()).isEqualTo("ed25519-sha256");
        });
    }

    @Test
    void ed25519SignatureAgainstAnRsaKeyIsAPermanentError() {
        dns.publish("ed", DOMAIN, rsa.keyRecord());
        assertResult(ed25519.sign(DOMAIN, "ed", MESSAGE), Result.PERMERROR, "key type rsa does not match");
    }

    @Test
    void tamperedBodyFails() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        byte[] signed = rsa.sign(DOMAIN, "sel", MESSAGE);
        assertResult(replace(signed, "line two", "line 2"), Result.FAIL, "body hash did not verify");
    }

    @Test
    void tamperedHeaderFails() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        byte[] signed = rsa.sign(DOMAIN, "sel", MESSAGE);
        assertResult(replace(signed, "Hello   there", "Hello there!"), Result.FAIL, "signature did not verify");
    }

    @Test
    void wrongKeyFails() {
        dns.publish("sel", DOMAIN, TestSigner.rsa(1024).keyRecord());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.FAIL, "signature did not verify");
    }

    @Test
    void strictKeyNeedsTheIdentityInExactlyTheSigningDomain() {
        dns.publish("sel", DOMAIN, rsa.keyRecord() + "; t=s");
        assertResult(rsa.tags("i=alice@sub.example.test; ").sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "t=s");
        assertResult(rsa.tags("i=alice@example.test; ").sign(DOMAIN, "sel", MESSAGE), Result.PASS, null);
    }

    @Test
    void identityOutsideTheSigningDomainIsAPermanentError() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        assertResult(rsa.tags("i=alice@example.org; ").sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR,
                "not within d=");
        List<DkimResult> sub = verify(rsa.tags("i=alice@mail.example.test; ").sign(DOMAIN, "sel", MESSAGE));
        assertThat(sub.get(0).result()).isEqualTo(Result.PASS);
        assertThat(sub.get(0).identity()).isEqualTo("alice@mail.example.test");
    }

    @Test
    void keyThatOnlyAllowsSha1RefusesSha256() {
        dns.publish("sel", DOMAIN, "v=DKIM1; h=sha1; k=rsa; p=" + rsa.publicKey());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "does not allow sha256");
        dns.publish("sel", DOMAIN, "v=DKIM1; h=sha1:sha256; k=rsa; p=" + rsa.publicKey());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PASS, null);
    }

    @Test
    void rsaSha1IsNotAcceptedEvenWhenValid() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        assertResult(rsa.algorithm(Algorithm.RSA_SHA1).sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR,
                "rsa-sha1 is not accepted (RFC 8301); the signature is otherwise valid");
        byte[] tampered = replace(rsa.algorithm(Algorithm.RSA_SHA1).sign(DOMAIN, "sel", MESSAGE), "line two", "line 2");
        assertResult(tampered, Result.PERMERROR, "rsa-sha1 is not accepted (RFC 8301); besides, body hash did not verify");
    }

    @Test
    void rsaKeyShorterThan1024BitsIsAPermanentError() {
        TestSigner weak = TestSigner.rsa(512);
        dns.publish("weak", DOMAIN, weak.keyRecord());
        assertResult(weak.sign(DOMAIN, "weak", MESSAGE), Result.PERMERROR, "512 bits is shorter than 1024");
    }

    @Test
    void revokedKeyFails() {
        dns.publish("sel", DOMAIN, "v=DKIM1; k=rsa; p=");
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.FAIL, "key revoked");
    }

    @Test
    void missingKeyRecordIsAPermanentError() {
        assertResult(rsa.sign(DOMAIN, "nokey", MESSAGE), Result.PERMERROR, "no key record at nokey._domainkey.example.test");
        dns.server().addTxt("other._domainkey." + DOMAIN, "v=spf1 -all");
        assertResult(rsa.sign(DOMAIN, "other", MESSAGE), Result.PERMERROR, "key record with unknown version");
        dns.server().addTxt("third._domainkey." + DOMAIN, "not a key");
        assertResult(rsa.sign(DOMAIN, "third", MESSAGE), Result.PERMERROR, "tag without '='");
    }

    @Test
    void dnsFailuresAreTemporaryErrors() {
        dns.server().servfail("sel._domainkey." + DOMAIN);
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.TEMPERROR, "key lookup sel._domainkey.example.test");
        dns.server().clear();
        dns.server().timeout("sel._domainkey." + DOMAIN);
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.TEMPERROR, "key lookup sel._domainkey.example.test");
    }

    @Test
    void keyRecordVariantsThatRefuseTheSignature() {
        dns.publish("sel", DOMAIN, "v=DKIM2; k=rsa; p=" + rsa.publicKey());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "unknown version");
        dns.publish("sel", DOMAIN, "k=rsa; v=DKIM1; p=" + rsa.publicKey());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "unknown version");
        dns.publish("sel", DOMAIN, "v=DKIM1; k=dsa; p=" + rsa.publicKey());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "unknown key type k=dsa");
        dns.publish("sel", DOMAIN, "v=DKIM1; s=web; p=" + rsa.publicKey());
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "key not for email");
        dns.publish("sel", DOMAIN, "v=DKIM1; k=rsa; p=AAAA" + rsa.publicKey().substring(4));
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "malformed RSA key");
    }

    @Test
    void keyRecordVariantsThatAccept() {
        // no v=, service list with email, tags in any order, the key folded with spaces
        String key = rsa.publicKey();
        dns.publish("sel", DOMAIN, "p=" + key.substring(0, 100) + " " + key.substring(100) + "; s=email:web; n=a note");
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PASS, null);
        // the bare RSAPublicKey that RFC 6376 3.6.1 names, without the SubjectPublicKeyInfo wrapper
        byte[] spki = Base64.getDecoder().decode(key);
        byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length); // 2048 bits: 24-octet prefix
        dns.publish("sel", DOMAIN, "v=DKIM1; p=" + Base64.getEncoder().encodeToString(pkcs1));
        assertResult(rsa.sign(DOMAIN, "sel", MESSAGE), Result.PASS, null);
    }

    @Test
    void testingKeyTurnsAFailureIntoNeutral() {
        dns.publish("sel", DOMAIN, rsa.keyRecord() + "; t=y");
        byte[] signed = rsa.sign(DOMAIN, "sel", MESSAGE);
        assertResult(signed, Result.PASS, null);
        assertResult(replace(signed, "line two", "line 2"), Result.NEUTRAL, "key in testing mode (t=y): body hash");
        dns.publish("sel", DOMAIN, "v=DKIM1; t=y; p=");
        assertResult(signed, Result.NEUTRAL, "key in testing mode (t=y): key revoked");
    }

    @Test
    void severalSignaturesGetOneResultEachInHeaderOrder() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        dns.publish("ed", "other.test", ed25519.keyRecord());
        byte[] once = rsa.sign(DOMAIN, "sel", MESSAGE);
        byte[] twice = ed25519.sign("other.test", "ed", once);
        byte[] thrice = TestSigner.rsa(1024).sign(DOMAIN, "sel", twice); // signed with a key not published

        List<DkimResult> results = verify(thrice);

        assertThat(results).extracting(DkimResult::result, DkimResult::domain)
                .containsExactly(org.assertj.core.api.Assertions.tuple(Result.FAIL, DOMAIN),
                        org.assertj.core.api.Assertions.tuple(Result.PASS, "other.test"),
                        org.assertj.core.api.Assertions.tuple(Result.PASS, DOMAIN));
    }

    @Test
    void bodyLengthLimit() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        // the relaxed canonical body "Body line one\r\n line two\r\n" is 26 octets
        byte[] signed = rsa.tags("l=26; ").sign(DOMAIN, "sel", MESSAGE);
        assertResult(signed, Result.PASS, null);
        // text after the signed length: the signature holds, but the unsigned text could say anything
        assertResult(append(signed, "Click here: http://evil.example/\r\n"), Result.POLICY,
                "36 body octets not covered by l=");
        assertResult(rsa.tags("l=20; ").sign(DOMAIN, "sel", MESSAGE), Result.POLICY, "6 body octets not covered");
        // a body cut short of l=
        assertResult(replace(signed, "\tline two\r\n", ""), Result.FAIL, "body shorter than l=26");
        assertResult(rsa.tags("l=" + "9".repeat(76) + "; ").sign(DOMAIN, "sel", MESSAGE), Result.FAIL, "body shorter than l=");
    }

    @Test
    void expiredSignatureFails() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        byte[] signed = rsa.tags("t=1795900000; x=1795903600; ").sign(DOMAIN, "sel", MESSAGE);
        Clock before = Clock.fixed(Instant.ofEpochSecond(1795903600), ZoneOffset.UTC);
        Clock after = Clock.fixed(Instant.ofEpochSecond(1795903601), ZoneOffset.UTC);
        int queriesBefore = dns.server().queries().size();

        assertThat(DkimTestDns.verify(dns.verifier(before), dir, signed).get(0).result()).isEqualTo(Result.PASS);
        List<DkimResult> expired = DkimTestDns.verify(dns.verifier(after), dir, signed);
        assertThat(expired.get(0).result()).isEqualTo(Result.FAIL);
        assertThat(expired.get(0).reason()).isEqualTo("signature expired");
        assertThat(dns.server().queries()).as("an expired signature needs no key").hasSize(queriesBefore + 1);
    }

    @Test
    void expirationBeforeTimestampIsAPermanentError() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        assertResult(rsa.tags("t=1795903600; x=1795900000; ").sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR,
                "x= is earlier than t=");
    }

    @Test
    void unsignedFromIsAPermanentError() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        int queriesBefore = dns.server().queries().size();
        assertResult(rsa.headers("to:subject").sign(DOMAIN, "sel", MESSAGE), Result.PERMERROR, "From field not signed");
        assertThat(dns.server().queries()).as("checked before any lookup").hasSize(queriesBefore);
    }

    @Test
    void overSignedHeadersMustStayAbsent() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        // the second "subject" and "reply-to" name fields that do not exist: nobody may add them
        byte[] signed = rsa.headers("from:to:subject:subject:reply-to").sign(DOMAIN, "sel", MESSAGE);
        assertResult(signed, Result.PASS, null);
        assertResult(append(signed, "", "Subject: Second subject\r\n"), Result.FAIL, "signature did not verify");
        assertResult(append(signed, "", "Reply-To: evil@example.org\r\n"), Result.FAIL, "signature did not verify");
    }

    @Test
    void repeatedFieldsAreTakenFromTheBottomUp() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        byte[] signed = rsa.headers("from:received:received").sign(DOMAIN, "sel", MESSAGE);
        assertResult(signed, Result.PASS, null);
        // a Received field added on top (as the next hop does) is not one of the signed two
        byte[] relayed = ("Received: from b.example by d.example; Sun, 29 Nov 2026 09:01:00 +0000\r\n"
                + new String(signed, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        assertResult(relayed, Result.PASS, null);
        byte[] signedOnce = rsa.headers("from:received").sign(DOMAIN, "sel", MESSAGE);
        byte[] swapped = replace(replace(replace(signedOnce, "a.example by b", "{swap}"), "c.example by a", "a.example by b"),
                "{swap}", "c.example by a");
        assertResult(swapped, Result.FAIL, "signature did not verify");
    }

    @Test
    void malformedSignaturesArePermanentErrors() {
        List<String> fields = List.of(
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=sel; h=from; b=AAAA",
                "DKIM-Signature: v=2; a=rsa-sha256; d=example.test; s=sel; h=from; bh=AAAA; b=AAAA",
                "DKIM-Signature: v=1; a=rsa-md5; d=example.test; s=sel; h=from; bh=AAAA; b=AAAA",
                "DKIM-Signature: v=1; a=rsa-sha256; c=fancy; d=example.test; s=sel; h=from; bh=AAAA; b=AAAA",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=sel; h=from; bh=AAAA; b=!!!",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; d=example.org; s=sel; h=from; bh=AAAA; b=AAAA",
                "DKIM-Signature: v=1; a=rsa-sha256; d=exa mple.test; s=sel; h=from; bh=AAAA; b=AAAA",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=sel; h=from; bh=AAAA; b=AAAA; l=x",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=sel; h=from; bh=AAAA; b=AAAA; q=http",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=sel; h=from::to; bh=AAAA; b=AAAA",
                "DKIM-Signature: garbage");
        int queriesBefore = dns.server().queries().size();
        List<String> reasons = new ArrayList<>();
        for (String field : fields) {
            List<DkimResult> results = verify(append(MESSAGE, "", field + "\r\n"));
            assertThat(results).singleElement().extracting(DkimResult::result).as(field).isEqualTo(Result.PERMERROR);
            reasons.add(results.get(0).reason());
        }
        assertThat(reasons).containsExactly("signature missing required tag bh=", "incompatible version v=2",
                "unsupported algorithm rsa-md5", "unknown canonicalization fancy", "malformed base64 in b=",
                "duplicate tag d=", "malformed d=", "malformed l=", "unsupported query method q=http",
                "empty header name in h=", "tag without '=' in tag list");
        assertThat(dns.server().queries()).hasSize(queriesBefore);
    }

    @Test
    void headerBlockOverTheLimitIsNotVerified() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        String padding = "X-Padding: " + "x".repeat(998) + "\r\n";
        byte[] signed = append(rsa.sign(DOMAIN, "sel", MESSAGE), "",
                padding.repeat(DkimVerifier.MAX_HEADER_BYTES / padding.length() + 1));
        assertResult(signed, Result.PERMERROR, "header block longer than 1048576 octets");
    }

    @Test
    void signaturesBeyondTheLimitAreNotChecked() {
        dns.publish("sel", DOMAIN, ed25519.keyRecord().replace("k=ed25519", "k=ed25519; t=s"));
        byte[] message = MESSAGE;
        for (int i = 0; i <= DkimVerifier.MAX_SIGNATURES; i++) {
            message = ed25519.sign(DOMAIN, "sel", message);
        }
        List<DkimResult> results = verify(message);
        assertThat(results).hasSize(DkimVerifier.MAX_SIGNATURES + 1);
        assertThat(results.subList(0, DkimVerifier.MAX_SIGNATURES)).extracting(DkimResult::result).containsOnly(Result.PASS);
        assertThat(results.get(DkimVerifier.MAX_SIGNATURES).reason()).isEqualTo("more than 10 signatures; not checked");
    }

    @Test
    void resultsCarryNothingThatCouldBreakAHeaderField() {
        String field = "DKIM-Signature: v=2\r\n\tinjected: yes; a=RSA-SHA256; d=ex ample.test; s=Sel;"
                + " i=a\u00e9@example.test; h=from; bh=AAAA; b=AA\r\n AA";
        List<DkimResult> results = verify(append(MESSAGE, "", field + "\r\n"));

        assertThat(results).singleElement().isEqualTo(new DkimResult(Result.PERMERROR, null, "sel", null, "rsa-sha256",
                "incompatible version v=2 injected: yes", "AAAA"));
    }

    @Test
    void unsignedMessageHasNoResults() {
        assertThat(verify(MESSAGE)).isEmpty();
        assertThat(verify(new byte[0])).isEmpty();
    }

    @Test
    void messageWithoutBodyVerifies() {
        dns.publish("sel", DOMAIN, rsa.keyRecord());
        byte[] headersOnly = crlf("From: alice@example.test\nTo: bob@example.org\nSubject: x\n");
        assertResult(rsa.canonicalization("simple/simple").sign(DOMAIN, "sel", headersOnly), Result.PASS, null);
        assertResult(rsa.canonicalization("relaxed/relaxed").sign(DOMAIN, "sel", headersOnly), Result.PASS, null);
    }

    private List<DkimResult> verify(byte[] message) {
        return DkimTestDns.verify(dns.verifier(), dir, message);
    }

    private Result single(byte[] message) {
        List<DkimResult> results = verify(message);
        assertThat(results).hasSize(1);
        return results.get(0).result();
    }

    private void assertResult(byte[] message, Result expected, String reasonPart) {
        List<DkimResult> results = verify(message);
        assertThat(results).hasSize(1);
        DkimResult result = results.get(0);
        assertThat(result.result()).as("reason: %s", result.reason()).isEqualTo(expected);
        if (reasonPart == null) {
            assertThat(result.reason()).isNull();
        } else {
            assertThat(result.reason()).contains(reasonPart);
        }
    }

    private static String bValue(byte[] signed) {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        return text.replaceAll("(?s).*\\bb=([^;]*?)\r\n[^\\s].*", "$1").replaceAll("\\s", "");
    }

    private static byte[] replace(byte[] message, String from, String to) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code message} with text added to the end of the body. */
    private static byte[] append(byte[] message, String bodyText) {
        return (new String(message, StandardCharsets.ISO_8859_1) + bodyText).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code message} with {@code bodyText} at the end and {@code header} at the end of the header block. */
    private static byte[] append(byte[] message, String bodyText, String header) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n") + 2;
        return (text.substring(0, end) + header + text.substring(end) + bodyText).getBytes(StandardCharsets.ISO_8859_1);
    }
}
