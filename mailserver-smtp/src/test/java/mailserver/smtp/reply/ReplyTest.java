package mailserver.smtp.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void oneLineCarriesTheEnhancedCode() {
        assertThat(Reply.of(250, "2.1.0", "Ok").encode()).isEqualTo("250 2.1.0 Ok\r\n");
    }

    @Test
    void everyLineOfAMultiLineReplyHasCodeAndEnhancedCode() {
        Reply reply = new Reply(214, "2.0.0", List.of("first", "second", "last"));
        assertThat(reply.encode()).isEqualTo("214-2.0.0 first\r\n214-2.0.0 second\r\n214 2.0.0 last\r\n");
    }

    @Test
    void greetingAndChallengesGoWithoutEnhancedCode() {
        assertThat(Reply.plain(220, "mx.example ESMTP").encode()).isEqualTo("220 mx.example ESMTP\r\n");
        assertThat(Reply.plain(334, "").encode()).isEqualTo("334 \r\n");
    }

    @Test
    void enhancedCodeMustMatchTheReplyClass() {
        assertThatThrownBy(() -> Reply.of(550, "2.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(250, "2.0", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textCannotSmuggleALineBreak() {
        assertThatThrownBy(() -> Reply.of(250, "2.0.0", "a\r\n250 b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Reply.sanitized(501, "5.1.7", "bad \r\nthing ü").lines()).containsExactly("bad ??thing ?");
    }

    @Test
    void sanitizedTextIsCutToFitALine() {
        Reply reply = Reply.sanitized(501, "5.5.4", "x".repeat(2000));
        assertThat(reply.toBytes().length).isLessThanOrEqualTo(512);
    }

    @Test
    void classifiesItself() {
        assertThat(Reply.of(250, "2.0.0", "Ok").isPositive()).isTrue();
        assertThat(Reply.of(452, "4.2.2", "full").isTransientFailure()).isTrue();
        assertThat(Reply.of(554, "5.7.1", "no").isPermanentFailure()).isTrue();
    }
}
