package mailserver.dist.cli;

import java.util.concurrent.Callable;
import mailserver.core.config.MailserverConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "config", description = "Work with the configuration file.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration without starting anything; exit 0 when it is valid.")
    static final class Check implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            MailserverConfig loaded = config.load();
            spec.commandLine().getOut().println("configuration OK: " + loaded.source());
            return 0;
        }
    }
}
