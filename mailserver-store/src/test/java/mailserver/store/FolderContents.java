package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mailserver.store.maildir.UidList;
import mailserver.store.maildir.UidListParser;

/** Checks tests share: what ids a folder holds, and that its UIDs obey the rules. */
final class FolderContents {

    private FolderContents() {
    }

    /** Message id (from the subject) to how many messages carry it; also checks UID order. */
    static Map<String, Integer> idCounts(Folder folder) throws IOException {
        FolderSnapshot snapshot = folder.sync();
        long last = 0;
        Map<String, Integer> counts = new HashMap<>();
        for (MessageRef m : snapshot.messages()) {
            assertThat(m.uid()).isGreaterThan(last).isLessThan(snapshot.uidNext());
            last = m.uid();
            String header = new String(folder.header(m.uid()), StandardCharsets.US_ASCII);
            int at = header.indexOf("Subject: message ");
            String id = header.substring(at + 17, header.indexOf('\r', at));
            counts.merge(id, 1, Integer::sum);
        }
        return counts;
    }

    /** dovecot-uidlist parses, with increasing UIDs and no base twice. */
    static List<UidList.Record> checkUidList(Path folderDirectory) throws Exception {
        String content = Files.readString(folderDirectory.resolve("dovecot-uidlist"));
        UidListParser.Result result = UidListParser.parse(content);
        assertThat(result.droppedLines()).isZero();
        assertThat(result.endsMidLine()).isFalse();
        return new ArrayList<>(result.uidList().records());
    }
}
