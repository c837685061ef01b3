package mailserver.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionTest {

    private static final List<String> LISTENER = List.of("address", "port", "enabled");

    @Test
    void typosFindTheirKey() {
        assertThat(KeySuggestion.closest("prot", LISTENER)).contains("port");
        assertThat(KeySuggestion.closest("adress", LISTENER)).contains("address");
        assertThat(KeySuggestion.closest("Enabled", LISTENER)).contains("enabled");
        assertThat(KeySuggestion.closest("data_dir", ServerSection.KEYS)).contains("data-dir");
        assertThat(KeySuggestion.closest("hostnme", ServerSection.KEYS)).contains("hostname");
    }

    @Test
    void differentWordsGetNoSuggestion() {
        assertThat(KeySuggestion.closest("ip", LISTENER)).isEmpty();
        assertThat(KeySuggestion.closest("colour", ConfigLoader.SECTIONS)).isEmpty();
        assertThat(KeySuggestion.closest("x".repeat(10_000), LISTENER)).isEmpty();
    }

    @Test
    void aSwapOfNeighboursIsOneEdit() {
        assertThat(KeySuggestion.distance("prot", "port")).isEqualTo(1);
        assertThat(KeySuggestion.distance("", "port")).isEqualTo(4);
        assertThat(KeySuggestion.distance("port", "port")).isZero();
    }
}
