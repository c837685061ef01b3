package mailserver.auth.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import mailserver.auth.directory.DirectoryException.Kind;
import mailserver.core.config.DirectoryConfig;
import org.junit.jupiter.api.Test;

class DirectoryFailuresTest {

    @Test
    void anUnreachableDatabaseSaysSoWithTheUrlAndTheReason() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:mariadb://127.0.0.1:" + closedPort + "/mail?password=hunter2";
        assertThatThrownBy(() -> JdbcDirectory.open(new DirectoryConfig(url, "root", "", false, Duration.ZERO, 2)))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
                .hasMessageStartingWith("directory database unreachable (jdbc:mariadb://127.0.0.1:" + closedPort + "/mail?password=***): ")
                .hasMessageContaining("Connection refused")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anEmptyDatabaseWeDoNotManageIsAConfigurationError() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            assertThatThrownBy(() -> JdbcDirectory.open(database.config(false, Duration.ZERO)))
                    .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                    .hasMessageContaining("has no mailbox table; point jdbc-url at a PostfixAdmin database, or set manage-schema: true");
        }
    }

    @Test
    void theSchemaIsAppliedOnceAndOpeningAgainChangesNothing() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            try (JdbcDirectory dir = JdbcDirectory.open(database.config(true, Duration.ZERO))) {
                dir.addDomain("example.test", "");
            }
            try (JdbcDirectory dir = JdbcDirectory.open(database.config(true, Duration.ZERO))) {
                assertThat(dir.listDomains()).extracting(DomainInfo::domain).containsExactly("example.test");
            }
            try (var c = database.connect()) {
                assertThat(Sql.list(c, "SELECT version, description FROM mailserver_schema_version ORDER BY version",
                        row -> row.getInt(1) + " " + row.getString(2)))
                        .containsExactly("1 schema-v1.sql", "2 schema-v2.sql");
            }
        }
    }
}
