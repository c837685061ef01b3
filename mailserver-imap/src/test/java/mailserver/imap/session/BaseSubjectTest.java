package mailserver.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaseSubjectTest {

    @Test
    void replyAndForwardMarkersGo() {
        assertThat(BaseSubject.of("Re: hello")).isEqualTo("HELLO");
        assertThat(BaseSubject.of("RE: Re: re[2]: Hello   world")).isEqualTo("HELLO WORLD");
        assertThat(BaseSubject.of("Fwd: hello (fwd)")).isEqualTo("HELLO");
        assertThat(BaseSubject.of("[list] Re: [other] hello")).isEqualTo("HELLO");
        assertThat(BaseSubject.of("[Fwd: Re: hello]")).isEqualTo("HELLO");
        assertThat(BaseSubject.of("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=")).isEqualTo("GRÜSSE");
        assertThat(BaseSubject.of("[only a blob]")).isEqualTo("[ONLY A BLOB]");
        assertThat(BaseSubject.of(null)).isEmpty();
    }

    @Test
    void repliesAndForwardsAreTold() {
        assertThat(BaseSubject.parse("Re: hello")).isEqualTo(new BaseSubject.Parsed("HELLO", true));
        assertThat(BaseSubject.parse("[list] Fwd: hello")).isEqualTo(new BaseSubject.Parsed("HELLO", true));
        assertThat(BaseSubject.parse("hello (fwd)")).isEqualTo(new BaseSubject.Parsed("HELLO", true));
        assertThat(BaseSubject.parse("[Fwd: hello]")).isEqualTo(new BaseSubject.Parsed("HELLO", true));
        assertThat(BaseSubject.parse("[list] hello  ")).isEqualTo(new BaseSubject.Parsed("HELLO", false));
        assertThat(BaseSubject.parse("Regards")).isEqualTo(new BaseSubject.Parsed("REGARDS", false));
        assertThat(BaseSubject.parse(null)).isEqualTo(new BaseSubject.Parsed("", false));
    }
}
