package mailserver.auth.directory;

class H2DirectoryTest extends DirectoryContract {

    @Override
    TestDatabase createDatabase() throws Exception {
        return TestDatabase.h2();
    }
}
