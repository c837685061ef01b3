package mailserver.core.config;

/** Turns the text of one scalar into a typed value, or says why it cannot. */
@FunctionalInterface
interface ValueParser<T> {
    T parse(String text) throws InvalidValueException;
}
