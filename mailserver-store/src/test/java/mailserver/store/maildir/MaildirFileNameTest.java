package mailserver.store.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaildirFileNameTest {

    @Test
    void readsDovecotNames() {
        MaildirFileName name = MaildirFileName.parse("1795934629.M787794P13325.vm,S=46,W=51:2,Sab");
        assertThat(name.base()).isEqualTo("1795934629.M787794P13325.vm,S=46,W=51");
        assertThat(name.flagLetters()).isEqualTo("Sab");
        assertThat(name.size()).hasValue(46);
        assertThat(name.virtualSize()).hasValue(51);
        assertThat(MaildirFileName.parse("1.V1I2.host").flagLetters()).isEmpty();
        assertThat(MaildirFileName.parse("1.V1I2.host").size()).isEmpty();
        assertThat(MaildirFileName.parse(".hidden")).isNull();
        assertThat(MaildirFileName.parse(":2,S")).isNull();
    }

    @Test
    void sortsAndDeduplicatesFlags() {
        MaildirFileName name = MaildirFileName.of("b,S=1", "TSaFS");
        assertThat(name.flagLetters()).isEqualTo("FSTa");
        assertThat(name.curFileName()).isEqualTo("b,S=1:2,FSTa");
        assertThat(name.withFlags("").curFileName()).isEqualTo("b,S=1:2,");
        assertThat(name.withFlags("").fileName()).isEqualTo("b,S=1");
    }
}
