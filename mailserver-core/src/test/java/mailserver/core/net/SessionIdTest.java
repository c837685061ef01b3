package mailserver.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SessionIdTest {

    @Test
    void idsAreTenBase32CharactersAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = SessionId.next();
            assertThat(id).matches("[A-Z2-7]{10}");
            seen.add(id);
        }
        assertThat(seen).hasSize(100_000);
    }
}
