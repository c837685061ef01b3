package mailserver.core.config;

/** Where something is in the YAML file, as the parser reported it; 1-based. */
record Position(int line, int column) {

    /** For things that are not in the file, like a default value. */
    static final Position NONE = new Position(0, 0);

    static final Position FILE_START = new Position(1, 1);
}
