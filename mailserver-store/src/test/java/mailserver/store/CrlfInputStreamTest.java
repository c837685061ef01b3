package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CrlfInputStreamTest {

    private static String convert(String s) throws IOException {
        return new String(new CrlfInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)))
                .readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void turnsBareLineEndsIntoCrlf() throws IOException {
        assertThat(convert("a\nb\r\nc\rd\r\r\ne\r")).isEqualTo("a\r\nb\r\nc\r\nd\r\n\r\ne\r\n");
        assertThat(convert("")).isEmpty();
        assertThat(convert("\n\n")).isEqualTo("\r\n\r\n");
    }

    @Property
    void outputHasOnlyCrlfPairsAndKeepsOtherBytes(@ForAll byte[] bytes) throws IOException {
        String input = new String(bytes, StandardCharsets.ISO_8859_1);
        String out = convert(input);
        assertThat(out.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(out.replace("\r\n", "")).isEqualTo(input.replace("\r\n", "").replace("\r", "").replace("\n", ""));
        assertThat(convert(out)).isEqualTo(out);
    }
}
