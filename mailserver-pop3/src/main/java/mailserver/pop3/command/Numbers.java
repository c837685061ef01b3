package mailserver.pop3.command;

/** The numeric arguments: message numbers (LIST, RETR, DELE, TOP, UIDL) and TOP's line count. */
public final class Numbers {

    private static final int MAX_DIGITS = 18;

    private Numbers() {
    }

    /** A message number: 1 or more, decimal digits only; numbers past the maildrop are the session's business. */
    public static int messageNumber(String argument) throws InvalidCommandException {
        long n = parse(argument, "Invalid message number: ");
        if (n < 1) {
            throw new InvalidCommandException("Invalid message number: " + printable(argument));
        }
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** TOP's line count: 0 or more; a huge one means "the whole body". */
    public static long lineCount(String argument) throws InvalidCommandException {
        return parse(argument, "Invalid number of lines: ");
    }

    private static long parse(String argument, String error) throws InvalidCommandException {
        if (argument.isEmpty() || !argument.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidCommandException(error + printable(argument));
        }
        String digits = argument.replaceFirst("^0+(?=.)", "");
        return digits.length() > MAX_DIGITS ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    /** The argument for an error reply: short, printable ASCII. */
    private static String printable(String argument) {
        String cut = argument.length() > 20 ? argument.substring(0, 20) + "..." : argument;
        return cut.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
