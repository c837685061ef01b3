package mailserver.smtp.dkim;

import static mailserver.smtp.dkim.DkimTestDns.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import mailserver.core.dns.DnsAnswer;
import mailserver.core.dns.DnsAnswer.Status;
import mailserver.smtp.dkim.DkimResult.Result;

class DkimVerifierProperties {

    private static final TestSigner SIGNER = TestSigner.ed25519();
    private static final Function<String, DnsAnswer<List<String>>> KEY =
            name -> new DnsAnswer<>(Status.SUCCESS, List.of(SIGNER.keyRecord()), "");
    /** Random fields find no key, so a random field never fails for a bad hash, only for its syntax or the key. */
    private static final Function<String, DnsAnswer<List<String>>> NO_KEY =
            name -> new DnsAnswer<>(Status.NXDOMAIN, List.of(), "");
    /** Before any x= a random field could hold, so nothing is merely expired. */
    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("dkim-properties");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 200)
    void relaxedSignaturesSurviveWhitespaceChanges(@ForAll("lines") List<String> subject, @ForAll("body") List<List<String>> body,
            @ForAll long seed) {
        StringBuilder text = new StringBuilder("From: alice@example.test\nTo: bob@example.org\nSubject: ")
                .append(String.join(" ", subject)).append("\n\n");
        body.forEach(line -> text.append(String.join(" ", line)).append('\n'));
        byte[] signed = SIGNER.canonicalization("relaxed/relaxed").sign("example.test", "sel", crlf(text.toString()));

        String changed = vary(new String(signed, StandardCharsets.ISO_8859_1), new Random(seed));

        assertThat(verify(KEY, changed.getBytes(StandardCharsets.ISO_8859_1)))
                .as(changed).singleElement().extracting(DkimResult::result).isEqualTo(Result.PASS);
    }

    @Property(tries = 300)
    void randomBytesAreNeverAnException(@ForAll byte[] message) {
        assertThat(verify(NO_KEY, message)).allSatisfy(r -> assertThat(r.result()).isEqualTo(Result.PERMERROR));
    }

    @Property(tries = 300)
    void randomSignatureFieldsArePermanentErrors(@ForAll("tagLists") String tags, @ForAll byte[] rest) {
        byte[] field = ("DKIM-Signature:" + tags + "\r\nFrom: a@example.test\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = new byte[field.length + rest.length];
        System.arraycopy(field, 0, message, 0, field.length);
        System.arraycopy(rest, 0, message, field.length, rest.length);

        assertThat(verify(NO_KEY, message)).first().satisfies(r -> {
            assertThat(r.result()).isEqualTo(Result.PERMERROR);
            assertThat(java.util.stream.Stream.of(r.domain(), r.selector(), r.identity(), r.algorithm(), r.reason(),
                    r.signaturePrefix())).allSatisfy(text -> assertThat(text).satisfiesAnyOf(
                            t -> assertThat(t).isNull(), t -> assertThat(t).matches("[ -~]*")));
        });
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return words().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<List<String>>> body() {
        return words().list().ofMaxSize(6).list().ofMaxSize(8);
    }

    /** Tag lists made of DKIM's own tags and syntax, so parsing gets past the first character. */
    @Provide
    Arbitrary<String> tagLists() {
        Arbitrary<String> tag = Arbitraries.of("v", "a", "b", "bh", "c", "d", "h", "i", "l", "q", "s", "t", "x", "z");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("1", "rsa-sha256", "ed25519-sha256", "relaxed/simple",
                "example.test", "sel", "from:to", "@example.test", "AAAA", "dns/txt", "100", "", "=41", "\r\n "),
                Arbitraries.strings().withChars("ab1=;:/@.- \t\r\n").ofMaxLength(12));
        return net.jqwik.api.Combinators.combine(tag, value).as((t, v) -> " " + t + "=" + v)
                .list().ofMaxSize(12).map(specs -> String.join(";", specs));
    }

    private static Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(8);
    }

    /** Whitespace changes relaxed canonicalisation must absorb (RFC 6376 3.4.2 and 3.4.4). */
    private static String vary(String message, Random random) {
        int end = message.indexOf("\r\n\r\n");
        String headers = message.substring(0, end);
        String body = message.substring(end + 4);
        StringBuilder out = new StringBuilder();
        for (String field : headers.split("\r\n(?![ \t])")) {
            if (!field.startsWith("Subject:")) {
                out.append(field).append("\r\n");
                continue;
            }
            String value = field.substring("Subject:".length());
            String name = random.nextBoolean() ? "SUBJECT" : "subject";
            out.append(name).append(whitespace(random, 0)).append(':').append(whitespace(random, 0));
            for (String word : value.strip().split(" ")) {
                out.append(word).append(random.nextInt(3) == 0 ? "\r\n" + whitespace(random, 1) : whitespace(random, 1));
            }
            out.append("\r\n");
        }
        out.append("\r\n");
        for (String line : body.split("\r\n", -1)) {
            out.append(String.join(whitespace(random, 1), line.split(" "))).append(whitespace(random, 0)).append("\r\n");
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            out.append(whitespace(random, 0)).append("\r\n");
        }
        return out.toString();
    }

    /** A run of spaces and tabs, at least {@code min} long. */
    private static String whitespace(Random random, int min) {
        StringBuilder run = new StringBuilder();
        for (int i = min + random.nextInt(3); i > 0; i--) {
            run.append(random.nextBoolean() ? ' ' : '\t');
        }
        return run.toString();
    }

    private static List<DkimResult> verify(Function<String, DnsAnswer<List<String>>> keys, byte[] message) {
        try {
            Path file = Files.createTempFile(dir, "msg", ".eml");
            Files.write(file, message);
            List<DkimResult> results = new DkimVerifier(keys, EPOCH).verify(file);
            Files.delete(file);
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
