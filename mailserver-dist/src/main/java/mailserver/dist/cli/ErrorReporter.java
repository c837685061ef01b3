package mailserver.dist.cli;

import mailserver.auth.directory.DirectoryException;
import mailserver.core.config.ConfigException;
import mailserver.core.config.InvalidValueException;
import mailserver.core.mail.InvalidAddressException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the failures an admin can cause (bad config, unknown domain, unreachable database,
 * malformed address) into one line on stderr and exit code 1. Anything else is a bug and
 * keeps its stack trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) throws Exception {
        String message = messageFor(e);
        if (message == null) {
            throw e;
        }
        cli.getErr().println("mailserver: " + message);
        cli.getErr().flush();
        return FAILED;
    }

    private static String messageFor(Exception e) {
        if (e instanceof ConfigException config) {
            return "invalid configuration:" + System.lineSeparator() + config.getMessage();
        }
        if (e instanceof InvalidValueException invalid) {
            return "invalid size: " + invalid.getMessage();
        }
        if (e instanceof DirectoryException
                || e instanceof InvalidAddressException
                || e instanceof CommandFailedException) {
            return e.getMessage();
        }
        return null;
    }
}
