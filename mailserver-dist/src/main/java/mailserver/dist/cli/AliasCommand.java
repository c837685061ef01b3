package mailserver.dist.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import mailserver.auth.directory.AliasInfo;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.mail.MailAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "alias", description = "Add, list and remove aliases (forwardings, lists, catch-all @domain).")
final class AliasCommand {

    @Spec
    private CommandSpec spec;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make ADDRESS deliver to the TARGETs (local or remote). @domain is a catch-all.")
    int add(@Mixin ConfigOption config,
            @Parameters(index = "0", paramLabel = "ADDRESS") String address,
            @Parameters(index = "1", paramLabel = "TARGET[,TARGET...]") String targets) throws Exception {
        List<String> targetList = Arrays.stream(targets.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (targetList.isEmpty()) {
            throw new CommandFailedException("no target address given");
        }
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.addAlias(address, targetList);
        }
        out().println("added alias " + address + " -> " + String.join(", ", targetList));
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List aliases, of one domain or all.")
    int list(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN", arity = "0..1") String domain)
            throws Exception {
        Table table = new Table("ADDRESS", "TARGETS", "ACTIVE");
        try (JdbcDirectory directory = config.openDirectory()) {
            for (AliasInfo alias : directory.listAliases(Optional.ofNullable(domain))) {
                table.row(alias.address(), String.join(",", alias.targets()), DomainCommand.yesNo(alias.active()));
            }
        }
        table.print(out());
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an alias.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address) throws Exception {
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.removeAlias(address);
        }
        out().println("removed alias " + address);
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
