package mailserver.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class MessageIdsTest {

    @Test
    void validIdsInOrderGarbageSkipped() {
        assertThat(MessageIds.all("<a@x> (comment <c@x>) \"quoted <q@x>\"\r\n <b @ y>")).containsExactly("<a@x>", "<b@y>");
        assertThat(MessageIds.all("<noat> <@x> <a@> <<inner@x> <unterminated@x")).containsExactly("<inner@x>");
        assertThat(MessageIds.all("(nested (<n@x>) comment) <a@x>")).containsExactly("<a@x>");
        assertThat(MessageIds.all(null)).isEmpty();
        assertThat(MessageIds.first("Your message <a@x> of <b@x>")).isEqualTo("<a@x>");
        assertThat(MessageIds.first("no id here")).isNull();
        assertThat(MessageIds.first(null)).isNull();
    }

    @Test
    void quotingMakesNoDifference() {
        // RFC 5256 section 4: these MUST be the same Message ID.
        assertThat(MessageIds.first("<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>")).isEqualTo("<01KF8JCEOCBS0045PS@xxx.yyy.com>");
        assertThat(MessageIds.first("<\"a\\\"b\"@x>")).isEqualTo("<a\"b@x>");
        assertThat(MessageIds.first("<\"\"@x>")).isNull();
    }

    @Test
    void tooLongIdsAndTooManyIdsAreCut() {
        assertThat(MessageIds.all("<" + "a".repeat(MessageIds.MAX_ID_LENGTH) + "@x>")).isEmpty();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < MessageIds.MAX_IDS + 5; i++) {
            many.append("<").append(i).append("@x> ");
        }
        List<String> ids = MessageIds.all(many.toString());
        assertThat(ids).hasSize(MessageIds.MAX_IDS);
        assertThat(ids.get(ids.size() - 1)).isEqualTo("<" + (MessageIds.MAX_IDS + 4) + "@x>");
        assertThat(ids.get(0)).isEqualTo("<5@x>");
    }

    @Property(tries = 1000)
    void anyInputGivesOnlyWellFormedIds(@ForAll @StringLength(max = 200) @CharRange(from = ' ', to = '~') String field) {
        for (String id : MessageIds.all(field)) {
            assertThat(id).startsWith("<").endsWith(">").contains("@").doesNotContainAnyWhitespaces();
            assertThat(id.substring(1, id.length() - 1)).doesNotContain("<", ">");
        }
    }

    @Property(tries = 300)
    void idsSurviveCommentsAndFolding(@ForAll @Size(max = 20) List<@StringLength(min = 1, max = 10) @CharRange(from = 'a', to = 'z') String> lefts) {
        List<String> ids = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (String left : lefts) {
            ids.add("<" + left + "@example.test>");
            field.append("(c) <").append(left).append("@example.test>\r\n\t");
        }
        assertThat(MessageIds.all(field.toString())).isEqualTo(ids);
    }
}
