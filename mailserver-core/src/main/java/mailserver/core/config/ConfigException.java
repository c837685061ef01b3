package mailserver.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used. Carries every problem found, not only the
 * first, so an admin fixes the file in one round; {@link #getMessage()} is one problem per line.
 */
public final class ConfigException extends Exception {

    private final transient List<ConfigProblem> problems;

    ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining(System.lineSeparator())));
        this.problems = List.copyOf(problems);
    }

    /** In file order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
