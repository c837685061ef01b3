package mailserver.store.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    @Test
    void encodesAsDovecotWritesFolderNames() {
        // Seen on disk after `doveadm mailbox create Entwürfe`.
        assertThat(ModifiedUtf7.encode("Entwürfe")).isEqualTo("Entw&APw-rfe");
        assertThat(ModifiedUtf7.encode("A&B")).isEqualTo("A&-B");
        assertThat(ModifiedUtf7.encode("日本語")).isEqualTo("&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("&ZeVnLIqe-")).isEqualTo("日本語");
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> ModifiedUtf7.decode("&ZeVn")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModifiedUtf7.decode("&!!-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModifiedUtf7.decode("&AGE-")).isInstanceOf(IllegalArgumentException.class); // "a" must be direct
        assertThatThrownBy(() -> ModifiedUtf7.decode("ü")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void roundTrips(@ForAll String text) {
        String encoded = ModifiedUtf7.encode(text);
        assertThat(encoded).matches("[\\x20-\\x7e]*");
        if (new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8).equals(text)) {
            assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(text);
        }
    }

    @Property
    void decodingAnyStringFailsCleanlyOrRoundTrips(@ForAll String anything) {
        try {
            String decoded = ModifiedUtf7.decode(anything);
            assertThat(ModifiedUtf7.encode(decoded)).isEqualTo(anything);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
