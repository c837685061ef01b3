package mailserver.smtp.command;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import mailserver.core.mail.InvalidAddressException;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.reply.Reply;

/**
 * Reads one SMTP command line (without its CRLF) into a {@link Command}, per RFC 5321 4.1 and
 * the ESMTP extensions this server offers. Verbs and parameter keywords are case-insensitive.
 * Anything it cannot accept comes back as an {@link InvalidCommandException} carrying the reply
 * to send; no input makes it throw anything else.
 *
 * <p>What the line means in the session's state (e.g. BINARYMIME without CHUNKING, SIZE over the
 * limit) is the session's business, not the parser's.
 */
public final class CommandParser {

    /** RFC 5321 4.5.3.1.4: 512 octets including CRLF. */
    public static final int MAX_COMMAND_OCTETS = 510;
    /** Plus what the MAIL parameters may add: SIZE (RFC 1870), RET+ENVID (RFC 3461), AUTH= (RFC 4954), BODY, SMTPUTF8. */
    static final int MAX_MAIL_OCTETS = MAX_COMMAND_OCTETS + 26 + 110 + 500 + 20 + 10;
    /** Plus NOTIFY and ORCPT (RFC 3461 5). */
    static final int MAX_RCPT_OCTETS = MAX_COMMAND_OCTETS + 500;
    /** RFC 4954 4: AUTH lines and SASL responses may be this long. */
    public static final int MAX_AUTH_OCTETS = 12288;
    /** The longest line any command may have: a framer may stop buffering past it. */
    public static final int MAX_LINE_OCTETS = MAX_AUTH_OCTETS;

    private static final int MAX_ENVID_CHARS = 100;
    private static final int MAX_XTEXT_PARAMETER_CHARS = 500;
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern SASL_MECHANISM = Pattern.compile("[A-Z0-9_-]{1,20}");
    private static final Pattern BASE64 = Pattern.compile("=|[A-Za-z0-9+/]+={0,2}");
    private static final Pattern ADDRESS_TYPE = Pattern.compile("[A-Za-z0-9!#$%&'*+/?^_`{|}~.-]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

    private final String postmasterDomain;

    /**
     * @param postmasterDomain the domain a bare {@code RCPT TO:<Postmaster>} (RFC 5321 4.1.1.3)
     *                         is delivered to: this server's own name
     */
    public CommandParser(String postmasterDomain) {
        this.postmasterDomain = MailAddress.normalizeDomain(postmasterDomain);
    }

    public Command parse(String line) throws InvalidCommandException {
        if (line.length() > MAX_LINE_OCTETS) {
            throw tooLong();
        }
        checkCharacters(line);
        String trimmed = stripTrailingSpaces(line);
        int space = trimmed.indexOf(' ');
        String verb = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : trimmed.substring(space).stripLeading();
        if (utf8Length(line) > maxOctets(verb)) {
            throw tooLong();
        }
        return switch (verb) {
            case "EHLO" -> new Command.Ehlo(hostname(verb, argument));
            case "HELO" -> new Command.Helo(hostname(verb, argument));
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument);
            case "DATA" -> noArgument(verb, argument, new Command.Data());
            case "BDAT" -> bdat(argument);
            case "RSET" -> noArgument(verb, argument, new Command.Rset());
            case "NOOP" -> new Command.Noop(argument);
            case "QUIT" -> noArgument(verb, argument, new Command.Quit());
            case "VRFY" -> new Command.Vrfy(required(argument, "VRFY address"));
            case "EXPN" -> new Command.Expn(required(argument, "EXPN list"));
            case "HELP" -> new Command.Help(argument);
            case "STARTTLS" -> noArgument(verb, argument, new Command.StartTls());
            case "AUTH" -> auth(argument);
            default -> throw new InvalidCommandException(Reply.of(500, "5.5.1", "Command unrecognized"));
        };
    }

    private static int maxOctets(String verb) {
        return switch (verb) {
            case "MAIL" -> MAX_MAIL_OCTETS;
            case "RCPT" -> MAX_RCPT_OCTETS;
            case "AUTH" -> MAX_AUTH_OCTETS;
            default -> MAX_COMMAND_OCTETS;
        };
    }

    // ---- MAIL and RCPT ----------------------------------------------------------------------

    private Command mail(String argument) throws InvalidCommandException {
        String usage = "MAIL FROM:<address>";
        Path path = path(argument, "FROM:", usage);
        Optional<MailAddress> reversePath = path.mailbox.isEmpty()
                ? Optional.empty()
                : Optional.of(address(path.mailbox, "5.1.7", "sender"));
        return new Command.Mail(reversePath, mailParameters(path.parameters, usage));
    }

    private Command rcpt(String argument) throws InvalidCommandException {
        Path path = path(argument, "TO:", "RCPT TO:<address>");
        MailAddress forwardPath;
        if (path.mailbox.equalsIgnoreCase("postmaster")) {
            forwardPath = new MailAddress("postmaster", postmasterDomain);
        } else if (path.mailbox.isEmpty()) {
            throw new InvalidCommandException(Reply.of(501, "5.1.3", "Bad recipient address syntax: empty address"));
        } else {
            forwardPath = address(path.mailbox, "5.1.3", "recipient");
        }
        return new Command.Rcpt(forwardPath, rcptParameters(path.parameters));
    }

    /** What lies between the angle brackets (source route already dropped), and what follows. */
    private record Path(String mailbox, String parameters) {
    }

    private static Path path(String argument, String keyword, String usage) throws InvalidCommandException {
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            throw syntax(usage);
        }
        // RFC 5321 has no space after the colon; many clients send one anyway.
        String rest = argument.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            throw syntax(usage);
        }
        int close = closingBracket(rest);
        if (close < 0) {
            throw syntax(usage);
        }
        String parameters = rest.substring(close + 1);
        if (!parameters.isEmpty() && parameters.charAt(0) != ' ') {
            throw syntax(usage);
        }
        return new Path(dropSourceRoute(rest.substring(1, close), usage), parameters);
    }

    /** The {@code >} that ends the path; a quoted local part may contain one. */
    private static int closingBracket(String path) {
        boolean quoted = false;
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 4.1.1.3 / C: {@code @relay1,@relay2:user@domain} is accepted and the route ignored. */
    private static String dropSourceRoute(String path, String usage) throws InvalidCommandException {
        if (!path.startsWith("@")) {
            return path;
        }
        boolean inLiteral = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                inLiteral = true;
            } else if (c == ']') {
                inLiteral = false;
            } else if (c == ':' && !inLiteral) {
                return path.substring(i + 1);
            }
        }
        throw syntax(usage);
    }

    private static MailAddress address(String text, String enhanced, String role) throws InvalidCommandException {
        try {
            return MailAddress.parse(text);
        } catch (InvalidAddressException e) {
            throw new InvalidCommandException(Reply.sanitized(501, enhanced, "Bad " + role + " address syntax: " + e.getMessage()));
        }
    }

    // ---- ESMTP parameters -------------------------------------------------------------------

    private static MailParameters mailParameters(String text, String usage) throws InvalidCommandException {
        OptionalLong size = OptionalLong.empty();
        Optional<BodyType> body = Optional.empty();
        boolean smtpUtf8 = false;
        Optional<String> auth = Optional.empty();
        Optional<DsnReturn> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (String parameter : text.split(" ")) {
            if (parameter.isEmpty()) {
                continue;
            }
            Parameter p = parameter(parameter, seen, usage);
            switch (p.keyword) {
                case "SIZE" -> size = OptionalLong.of(number(p.required(), "SIZE"));
                case "BODY" -> body = Optional.of(bodyType(p.required()));
                case "SMTPUTF8" -> {
                    p.noValue();
                    smtpUtf8 = true;
                }
                case "AUTH" -> auth = Optional.of(xtext(p.required(), "AUTH", MAX_XTEXT_PARAMETER_CHARS));
                case "RET" -> ret = Optional.of(dsnReturn(p.required()));
                case "ENVID" -> envid = Optional.of(xtext(p.required(), "ENVID", MAX_ENVID_CHARS));
                default -> throw unsupported(p.keyword);
            }
        }
        return new MailParameters(size, body, smtpUtf8, auth, ret, envid);
    }

    private static RcptParameters rcptParameters(String text) throws InvalidCommandException {
        Set<DsnNotify> notify = Set.of();
        Optional<OriginalRecipient> orcpt = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (String parameter : text.split(" ")) {
            if (parameter.isEmpty()) {
                continue;
            }
            Parameter p = parameter(parameter, seen, "RCPT TO:<address>");
            switch (p.keyword) {
                case "NOTIFY" -> notify = notify(p.required());
                case "ORCPT" -> orcpt = Optional.of(originalRecipient(p.required()));
                default -> throw unsupported(p.keyword);
            }
        }
        return new RcptParameters(notify, orcpt);
    }

    /** {@code keyword[=value]}, keyword upper-cased; value {@code null} when there is no {@code =}. */
    private record Parameter(String keyword, String value) {
        String required() throws InvalidCommandException {
            if (value == null) {
                throw badParameter(keyword);
            }
            return value;
        }

        void noValue() throws InvalidCommandException {
            if (value != null) {
                throw badParameter(keyword);
            }
        }
    }

    private static Parameter parameter(String text, Set<String> seen, String usage) throws InvalidCommandException {
        int equals = text.indexOf('=');
        String keyword = equals < 0 ? text : text.substring(0, equals);
        if (!KEYWORD.matcher(keyword).matches()) {
            throw syntax(usage);
        }
        keyword = keyword.toUpperCase(Locale.ROOT);
        String value = equals < 0 ? null : text.substring(equals + 1);
        // RFC 5321 4.1.2 esmtp-value: one or more characters, none of them '='.
        if (value != null && (value.isEmpty() || value.indexOf('=') >= 0)) {
            throw badParameter(keyword);
        }
        if (!seen.add(keyword)) {
            throw new InvalidCommandException(Reply.of(501, "5.5.4", "Duplicate " + keyword + " parameter"));
        }
        return new Parameter(keyword, value);
    }

    private static long number(String value, String keyword) throws InvalidCommandException {
        if (!DIGITS.matcher(value).matches()) {
            throw badParameter(keyword);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // Twenty digits may not fit a long; anything that large is over every limit anyway.
            return Long.MAX_VALUE;
        }
    }

    private static BodyType bodyType(String value) throws InvalidCommandException {
        for (BodyType type : BodyType.values()) {
            if (type.keyword().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw badParameter("BODY");
    }

    private static DsnReturn dsnReturn(String value) throws InvalidCommandException {
        for (DsnReturn ret : DsnReturn.values()) {
            if (ret.name().equalsIgnoreCase(value)) {
                return ret;
            }
        }
        throw badParameter("RET");
    }

    private static Set<DsnNotify> notify(String value) throws InvalidCommandException {
        Set<DsnNotify> result = EnumSet.noneOf(DsnNotify.class);
        for (String item : value.split(",", -1)) {
            DsnNotify found = null;
            for (DsnNotify n : DsnNotify.values()) {
                if (n.name().equalsIgnoreCase(item)) {
                    found = n;
                }
            }
            if (found == null) {
                throw badParameter("NOTIFY");
            }
            result.add(found);
        }
        if (result.contains(DsnNotify.NEVER) && result.size() > 1) {
            throw badParameter("NOTIFY");
        }
        return result;
    }

    private static OriginalRecipient originalRecipient(String value) throws InvalidCommandException {
        int semicolon = value.indexOf(';');
        if (semicolon < 0 || value.length() > MAX_XTEXT_PARAMETER_CHARS
                || !ADDRESS_TYPE.matcher(value.substring(0, semicolon)).matches()) {
            throw badParameter("ORCPT");
        }
        String address = xtext(value.substring(semicolon + 1), "ORCPT", MAX_XTEXT_PARAMETER_CHARS);
        if (address.isEmpty()) {
            throw badParameter("ORCPT");
        }
        return new OriginalRecipient(value.substring(0, semicolon), address);
    }

    private static String xtext(String value, String keyword, int maxChars) throws InvalidCommandException {
        String decoded;
        try {
            decoded = Xtext.decode(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException(Reply.of(501, "5.5.4", "Bad " + keyword + " parameter: " + e.getMessage()));
        }
        if (decoded.length() > maxChars) {
            throw new InvalidCommandException(Reply.of(501, "5.5.4", keyword + " parameter longer than " + maxChars + " characters"));
        }
        return decoded;
    }

    // ---- the other commands -----------------------------------------------------------------

    private static String hostname(String verb, String argument) throws InvalidCommandException {
        if (argument.isEmpty() || argument.indexOf(' ') >= 0) {
            throw syntax(verb + " hostname");
        }
        return argument;
    }

    private static Command bdat(String argument) throws InvalidCommandException {
        String usage = "BDAT size [LAST]";
        String[] words = argument.split(" +");
        if (words.length < 1 || words.length > 2 || !DIGITS.matcher(words[0]).matches()
                || (words.length == 2 && !words[1].equalsIgnoreCase("LAST"))) {
            throw syntax(usage);
        }
        return new Command.Bdat(number(words[0], "BDAT"), words.length == 2);
    }

    private static Command auth(String argument) throws InvalidCommandException {
        String[] words = argument.split(" +");
        if (argument.isEmpty() || words.length > 2) {
            throw syntax("AUTH mechanism [initial-response]");
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        if (!SASL_MECHANISM.matcher(mechanism).matches()) {
            throw syntax("AUTH mechanism [initial-response]");
        }
        if (words.length == 2 && !BASE64.matcher(words[1]).matches()) {
            throw new InvalidCommandException(Reply.of(501, "5.5.2", "Initial response is not base64"));
        }
        return new Command.Auth(mechanism, words.length == 2 ? Optional.of(words[1]) : Optional.empty());
    }

    private static String required(String argument, String usage) throws InvalidCommandException {
        if (argument.isEmpty()) {
            throw syntax(usage);
        }
        return argument;
    }

    private static Command noArgument(String verb, String argument, Command command) throws InvalidCommandException {
        if (!argument.isEmpty()) {
            throw syntax(verb);
        }
        return command;
    }

    // ---- whole-line checks and replies ------------------------------------------------------

    /** No controls (a CR or NUL inside a command smells of smuggling) and well-formed UTF-16. */
    private static void checkCharacters(String line) throws InvalidCommandException {
        if (line.isEmpty()) {
            throw new InvalidCommandException(Reply.of(500, "5.5.2", "Empty command"));
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
            boolean surrogatePair = Character.isHighSurrogate(c) && i + 1 < line.length()
                    && Character.isLowSurrogate(line.charAt(i + 1));
            if (control || (Character.isSurrogate(c) && !surrogatePair)) {
                throw new InvalidCommandException(Reply.of(500, "5.5.2", "Bad character in command"));
            }
            if (surrogatePair) {
                i++;
            }
        }
    }

    private static String stripTrailingSpaces(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(0, end);
    }

    private static int utf8Length(String s) {
        int octets = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                octets++;
            } else if (c < 0x800) {
                octets += 2;
            } else if (Character.isHighSurrogate(c)) {
                octets += 4;
                i++;
            } else {
                octets += 3;
            }
        }
        return octets;
    }

    private static InvalidCommandException tooLong() {
        return new InvalidCommandException(Reply.of(500, "5.5.2", "Line too long"));
    }

    private static InvalidCommandException syntax(String usage) {
        return new InvalidCommandException(Reply.of(501, "5.5.4", "Syntax: " + usage));
    }

    private static InvalidCommandException badParameter(String keyword) {
        return new InvalidCommandException(Reply.of(501, "5.5.4", "Bad " + keyword + " parameter"));
    }

    private static InvalidCommandException unsupported(String keyword) {
        return new InvalidCommandException(Reply.sanitized(555, "5.5.4", "Unsupported parameter " + keyword));
    }
}
