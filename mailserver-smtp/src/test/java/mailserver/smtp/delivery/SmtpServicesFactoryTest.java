package mailserver.smtp.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import mailserver.auth.AuthService;
import mailserver.auth.LoginThrottle;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.DirectoryConfig;
import mailserver.store.MailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the factory does to data-dir/spool at start, which the IMAP listener shares. */
class SmtpServicesFactoryTest {

    @TempDir
    Path dir;

    @Test
    void startRemovesSmtpLeftoversButKeepsTheImapSpoolAndItsFiles() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("data/spool"));
        Path smtpLeftover = Files.writeString(spool.resolve("smtp-123.tmp"), "half a message");
        Path imapSpool = Files.createDirectories(spool.resolve("imap"));
        Path imapLeftover = Files.writeString(imapSpool.resolve("literal42.tmp"), "half a literal");

        try (JdbcDirectory directory = JdbcDirectory.open(new DirectoryConfig(
                "jdbc:h2:file:" + dir.resolve("db") + "/directory;MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
                "sa", "", true, Duration.ofSeconds(30), 2));
                MailStore store = new MailStore("test.host")) {
            SmtpServicesFactory.create(directory, store, dir.resolve("mail"), dir.resolve("data"),
                    new AuthService(directory, new LoginThrottle(LoginThrottle.Settings.DEFAULTS)));
        }

        assertThat(smtpLeftover).doesNotExist();
        assertThat(imapSpool).isDirectory();
        assertThat(imapLeftover).exists();
    }
}
