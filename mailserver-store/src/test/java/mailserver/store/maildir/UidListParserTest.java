package mailserver.store.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class UidListParserTest {

    @Test
    void readsWhatDovecotWrote() throws Exception {
        // Dovecot 2.3 appended two records without rewriting the header (N1 is stale).
        String file = """
                3 V1795934632 N1 G871c9330a5c90b6b0f34000083ecc375
                1 :1795934629.M842602P13329.vm,S=46,W=51
                2 W51 :1795934639.M839125P13360.vm,S=46,W=51
                """;
        UidListParser.Result result = UidListParser.parse(file);
        UidList list = result.uidList();
        assertThat(list.uidValidity()).isEqualTo(1795934632L);
        assertThat(list.nextUid()).isEqualTo(3);
        assertThat(list.guid()).isEqualTo("871c9330a5c90b6b0f34000083ecc375");
        assertThat(list.records()).extracting(UidList.Record::uid).containsExactly(1L, 2L);
        assertThat(list.records().get(1).extensions()).isEqualTo("W51");
        assertThat(list.records().get(1).line()).isEqualTo("2 W51 :1795934639.M839125P13360.vm,S=46,W=51");
        assertThat(result.droppedLines()).isZero();
    }

    @Test
    void dropsRecordsThatWouldBreakUidRules() throws Exception {
        String file = "3 V7 N10 Gx\n5 :a\n4 :b\n6 :a\nnonsense\n7 :c/../d\n8 :e";
        UidListParser.Result result = UidListParser.parse(file);
        assertThat(result.uidList().records()).extracting(UidList.Record::base).containsExactly("a");
        assertThat(result.droppedLines()).isEqualTo(4);
        assertThat(result.endsMidLine()).isTrue();
        assertThat(result.uidList().nextUid()).isEqualTo(10);
    }

    @Test
    void refusesOtherVersions() {
        assertThatThrownBy(() -> UidListParser.parse("1 123 45\n")).isInstanceOf(UidListParser.BadUidListException.class);
        assertThatThrownBy(() -> UidListParser.parse("")).isInstanceOf(UidListParser.BadUidListException.class);
        assertThatThrownBy(() -> UidListParser.parse("3 V0 N1\n")).isInstanceOf(UidListParser.BadUidListException.class);
    }

    @Property
    void formatThenParseRoundTrips(@ForAll @LongRange(min = 1, max = 0xffffffffL) long uidValidity,
                                   @ForAll @IntRange(min = 0, max = 50) int count) throws Exception {
        List<UidList.Record> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            records.add(new UidList.Record(i * 3L, i % 2 == 0 ? "W" + i : "", i + ".M1P2.host,S=" + i));
        }
        UidList list = new UidList(uidValidity, count * 3L + 1, "abc", records);
        assertThat(UidListParser.parse(list.format()).uidList()).isEqualTo(list);
    }

    @Property
    void anyInputParsesOrFailsCleanly(@ForAll String content) {
        try {
            UidListParser.Result result = UidListParser.parse(content);
            long last = 0;
            for (UidList.Record r : result.uidList().records()) {
                assertThat(r.uid()).isGreaterThan(last);
                last = r.uid();
            }
            assertThat(result.uidList().nextUid()).isGreaterThan(last);
        } catch (UidListParser.BadUidListException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
