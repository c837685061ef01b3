package mailserver.imap.session;

import mailserver.store.StoreException;

/** The NO response for a store failure, with the RFC 5530 response code that fits its reason. */
final class StoreErrors {

    private StoreErrors() {
    }

    /** @param createHint answer TRYCREATE for a missing target (APPEND, COPY, MOVE), NONEXISTENT otherwise */
    static Done no(StoreException e, boolean createHint) {
        String code = switch (e.reason()) {
            case NOT_FOUND -> createHint ? "TRYCREATE" : "NONEXISTENT";
            case ALREADY_EXISTS -> "ALREADYEXISTS";
            case INVALID_NAME, NOT_ALLOWED -> "CANNOT";
            case NO_SUCH_MESSAGE -> "EXPUNGEISSUED";
            case KEYWORD_LIMIT -> "LIMIT";
            case QUOTA_EXCEEDED -> "OVERQUOTA";
        };
        return Done.no(code, e.getMessage());
    }
}
