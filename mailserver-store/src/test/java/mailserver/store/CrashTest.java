package mailserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM delivers in a loop and is killed with SIGKILL mid-stream; every delivery it
 * reported as done is present exactly once, and the folder opens cleanly (the dead process's
 * uidlist dotlock is broken at once, since its owner is gone).
 */
class CrashTest {

    private static final int REPORTED_BEFORE_KILL = 60;

    @TempDir
    Path root;

    @Test
    void killedDelivererLosesNothingItReported() throws Exception {
        Path account = root.resolve("example.test/alice");
        for (int round = 1; round <= 2; round++) {
            Process child = DeliveryLoop.command(account, "round" + round, 0).start();
            List<String> reported = new ArrayList<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            for (String line; reported.size() < REPORTED_BEFORE_KILL && (line = out.readLine()) != null; ) {
                reported.add(line.split(" ")[1]);
            }
            // SIGKILL; it may have finished more deliveries than we read, which are simply not checked.
            child.destroyForcibly();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(reported).hasSizeGreaterThanOrEqualTo(REPORTED_BEFORE_KILL);

            Folder inbox = new MailStore().open(account, Quota.UNLIMITED).folder("INBOX");
            Map<String, Integer> counts = FolderContents.idCounts(inbox);
            for (String id : reported) {
                assertThat(counts.get(id)).as("delivery %s", id).isEqualTo(1);
            }
            assertThat(counts.values()).allMatch(n -> n == 1);
            FolderContents.checkUidList(account);
        }
    }
}
