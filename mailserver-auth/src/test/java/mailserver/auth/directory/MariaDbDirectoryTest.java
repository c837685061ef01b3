package mailserver.auth.directory;

/** Needs MariaDB on 127.0.0.1:3306 (root, no password); skipped without it, failed without it when CI=true. */
class MariaDbDirectoryTest extends DirectoryContract {

    @Override
    TestDatabase createDatabase() throws Exception {
        return TestDatabase.mariaDb();
    }
}
