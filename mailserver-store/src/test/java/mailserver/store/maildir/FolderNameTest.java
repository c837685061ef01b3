package mailserver.store.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FolderNameTest {

    @Test
    void mapsToMaildirPlusPlusDirectories() {
        assertThat(new FolderName("Parent.Child").directory()).isEqualTo(".Parent.Child");
        assertThat(new FolderName("Entwürfe").directory()).isEqualTo(".Entw&APw-rfe");
        assertThat(new FolderName("inbox").directory()).isEmpty();
        assertThat(new FolderName("inbox").name()).isEqualTo("INBOX");
        assertThat(FolderName.fromDirectory(".Entw&APw-rfe")).isEqualTo(new FolderName("Entwürfe"));
        assertThat(FolderName.fromDirectory("..")).isNull();
        assertThat(FolderName.fromDirectory("cur")).isNull();
        assertThat(new FolderName("A.B.C").ancestors()).containsExactly(new FolderName("A"), new FolderName("A.B"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/b", "/etc", "a..b", ".hidden", "trailing.", "~user",
            "tab\there", "nul\0", "back\\slash", "del\u007f"})
    void refusesNamesThatCouldLeaveTheMaildir(String bad) {
        assertThat(FolderName.problem(bad)).isNotNull();
        assertThatThrownBy(() -> new FolderName(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongNames() {
        assertThat(FolderName.problem("x".repeat(256))).contains("longer");
        assertThat(FolderName.problem("ü".repeat(100))).contains("encoded name longer");
    }

    @Property
    void anyAcceptedNameStaysDirectlyInsideTheAccount(@ForAll String name) {
        if (FolderName.problem(name) != null) {
            return;
        }
        Path root = Path.of("/srv/mail/example.test/alice");
        FolderName folder = new FolderName(name);
        Path dir = root.resolve(folder.directory()).normalize();
        if (folder.isInbox()) {
            assertThat(dir).isEqualTo(root);
        } else {
            assertThat(dir.getParent()).isEqualTo(root);
            assertThat(FolderName.fromDirectory(dir.getFileName().toString())).isEqualTo(folder);
        }
    }
}
