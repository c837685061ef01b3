package mailserver.core.config;

public enum Protocol {
    SMTP, IMAP, POP3
}
