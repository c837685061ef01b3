package mailserver.smtp.command;

/** The {@code BODY=} parameter of MAIL: RFC 6152 (8BITMIME) and RFC 3030 (BINARYMIME). */
public enum BodyType {
    SEVEN_BIT("7BIT"),
    EIGHT_BIT_MIME("8BITMIME"),
    BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
