package mailserver.dist.cli;

import java.io.PrintWriter;
import mailserver.auth.directory.DomainInfo;
import mailserver.auth.directory.JdbcDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "domain", description = "Add, list and remove the domains this server receives mail for.")
final class DomainCommand {

    @Spec
    private CommandSpec spec;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a domain.")
    int add(@Mixin ConfigOption config,
            @Parameters(paramLabel = "DOMAIN") String domain,
            @Option(names = "--description", defaultValue = "", description = "A note for admins.") String description)
            throws Exception {
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.addDomain(domain, description);
        }
        out().println("added domain " + domain);
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the domains.")
    int list(@Mixin ConfigOption config) throws Exception {
        Table table = new Table("DOMAIN", "ACCOUNTS", "ALIASES", "ACTIVE", "DESCRIPTION");
        try (JdbcDirectory directory = config.openDirectory()) {
            for (DomainInfo domain : directory.listDomains()) {
                table.row(domain.domain(), domain.accounts(), domain.aliases(), yesNo(domain.active()), domain.description());
            }
        }
        table.print(out());
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a domain that has no accounts and no aliases left.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN") String domain) throws Exception {
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.removeDomain(domain);
        }
        out().println("removed domain " + domain);
        return 0;
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
