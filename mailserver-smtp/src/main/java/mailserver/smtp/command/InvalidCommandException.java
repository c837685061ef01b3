package mailserver.smtp.command;

import mailserver.smtp.reply.Reply;

/** A command line the server refuses to act on, with the reply that tells the client why. */
public final class InvalidCommandException extends Exception {

    private final transient Reply reply;

    InvalidCommandException(Reply reply) {
        super(reply.summary(), null, false, false);
        this.reply = reply;
    }

    public Reply reply() {
        return reply;
    }
}
