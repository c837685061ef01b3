package mailserver.imap.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import mailserver.imap.parse.Command;
import mailserver.imap.parse.MailboxNames;
import mailserver.imap.parse.SequenceSet;
import mailserver.imap.parse.StatusItem;
import mailserver.imap.response.ResponseWriter;
import mailserver.store.AppendResult;
import mailserver.store.Folder;
import mailserver.store.FolderInfo;
import mailserver.store.FolderSnapshot;
import mailserver.store.MessageRef;
import mailserver.store.Mailbox;
import mailserver.store.QuotaUsage;
import mailserver.store.SpecialUse;
import mailserver.store.StoreException;
import mailserver.store.SystemFlag;
import mailserver.store.maildir.FolderName;

/**
 * The commands about mailboxes rather than messages in the selected one: CREATE, DELETE,
 * RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND, GETQUOTA, GETQUOTAROOT.
 * Runs on a worker; store failures become NO with a response code.
 */
final class MailboxCommands {

    static final char DELIMITER = FolderName.DELIMITER;

    private final Mailbox mailbox;
    private final ResponseWriter out;
    private final long appendLimit;

    MailboxCommands(Mailbox mailbox, ResponseWriter out, long appendLimit) {
        this.mailbox = mailbox;
        this.out = out;
        this.appendLimit = appendLimit;
    }

    /** RFC 6154: the special-use folders exist from the first login on, subscribed, as Dovecot's auto=subscribe does. */
    void createSpecialUseFolders() throws IOException {
        Set<String> existing = new java.util.HashSet<>();
        for (FolderInfo f : mailbox.folders()) {
            if (f.exists()) {
                existing.add(f.name());
            }
        }
        for (SpecialUse use : SpecialUse.values()) {
            if (!existing.contains(use.folderName())) {
                try {
                    mailbox.createFolder(use.folderName());
                    mailbox.subscribe(use.folderName());
                } catch (StoreException e) {
                    if (e.reason() != StoreException.Reason.ALREADY_EXISTS) {
                        throw e; // created meanwhile by another session of the account: fine
                    }
                }
            }
        }
    }

    Done create(String name) throws IOException {
        String folder = stripTrailingDelimiter(name);
        try {
            for (FolderName parent : new FolderName(folder).ancestors()) {
                if (!exists(parent.name())) {
                    mailbox.createFolder(parent.name());
                }
            }
            mailbox.createFolder(folder);
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        } catch (IllegalArgumentException e) {
            return Done.no("CANNOT", e.getMessage());
        }
        return Done.ok("CREATE completed");
    }

    Done delete(String name) throws IOException {
        try {
            mailbox.deleteFolder(name);
            mailbox.unsubscribe(name);
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        return Done.ok("DELETE completed");
    }

    Done rename(String from, String to) throws IOException {
        if (from.equals(FolderName.INBOX)) {
            return renameInbox(to);
        }
        try {
            mailbox.renameFolder(from, stripTrailingDelimiter(to));
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        return Done.ok("RENAME completed");
    }

    /**
     * RFC 9051 6.3.6: INBOX itself stays; its messages move to a new folder of the given name
     * and INBOX's children keep their names. Done as Dovecot does it, create then MOVE, so each
     * message is in exactly one of the two folders whatever happens midway.
     */
    private Done renameInbox(String to) throws IOException {
        Done created = create(to);
        if (!created.status().equals("OK")) {
            return created;
        }
        try {
            Folder inbox = mailbox.folder(FolderName.INBOX);
            List<Long> uids = inbox.sync().messages().stream().map(MessageRef::uid).toList();
            if (!uids.isEmpty()) {
                inbox.move(uids, mailbox.folder(stripTrailingDelimiter(to)));
            }
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        return Done.ok("RENAME completed");
    }

    Done subscribe(String name, boolean subscribe) throws IOException {
        try {
            if (subscribe) {
                mailbox.subscribe(name);
            } else {
                mailbox.unsubscribe(name);
            }
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        return Done.ok((subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed");
    }

    /** LIST with RFC 5258 selection/return options, RFC 6154 special-use and RFC 5819 STATUS; and LSUB. */
    Done list(Command.ListMailboxes list) throws IOException {
        if (list.patterns().size() == 1 && list.patterns().get(0).isEmpty() && !list.lsub()) {
            out.raw("* LIST (\\Noselect) \"").raw(String.valueOf(DELIMITER)).raw("\" \"\"").crlf();
            return Done.ok("LIST completed");
        }
        boolean subscribedOnly = list.lsub() || list.selection().contains("SUBSCRIBED");
        boolean specialOnly = list.selection().contains("SPECIAL-USE");
        boolean showSubscribed = subscribedOnly || list.returns().contains("SUBSCRIBED");
        Set<String> subscriptions = mailbox.subscriptions();
        Map<String, FolderInfo> folders = new LinkedHashMap<>();
        for (FolderInfo f : mailbox.folders()) {
            folders.put(f.name(), f);
        }
        List<String> names = new ArrayList<>(folders.keySet());
        if (subscribedOnly) {
            subscriptions.stream().filter(s -> !folders.containsKey(s)).forEach(names::add);
        }
        List<MailboxPattern> patterns = list.patterns().stream()
                .map(p -> new MailboxPattern(list.reference(), p, DELIMITER)).toList();
        for (String name : names) {
            if (patterns.stream().noneMatch(p -> p.matches(name))) {
                continue;
            }
            FolderInfo info = folders.get(name);
            boolean subscribed = subscriptions.contains(name);
            if ((subscribedOnly && !subscribed) || (specialOnly && (info == null || info.specialUse().isEmpty()))) {
                continue;
            }
            List<String> attributes = new ArrayList<>();
            if (info == null || !info.exists()) {
                attributes.add(list.lsub() ? "\\Noselect" : info == null ? "\\NonExistent" : "\\Noselect");
            }
            if (info != null && !list.lsub()) {
                attributes.add(info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
                info.specialUse().map(SpecialUse::attribute).ifPresent(attributes::add);
            }
            if (showSubscribed && subscribed && !list.lsub()) {
                attributes.add("\\Subscribed");
            }
            out.raw(list.lsub() ? "* LSUB (" : "* LIST (").raw(String.join(" ", attributes)).raw(") \"")
                    .raw(String.valueOf(DELIMITER)).raw("\" ").astring(MailboxNames.encode(name, out.utf8())).crlf();
            if (!list.statusItems().isEmpty() && info != null && info.exists()) {
                statusResponse(name, list.statusItems());
            }
        }
        return Done.ok((list.lsub() ? "LSUB" : "LIST") + " completed");
    }

    Done status(String name, List<StatusItem> items) throws IOException {
        try {
            statusResponse(name, items);
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        return Done.ok("STATUS completed");
    }

    private void statusResponse(String name, List<StatusItem> items) throws IOException {
        FolderSnapshot s = mailbox.folder(name).sync();
        out.raw("* STATUS ").astring(MailboxNames.encode(name, out.utf8())).raw(" (");
        boolean first = true;
        for (StatusItem item : items) {
            if (!first) {
                out.sp();
            }
            first = false;
            out.raw(item.name()).sp().number(statusValue(s, item));
        }
        out.raw(")").crlf();
    }

    private long statusValue(FolderSnapshot s, StatusItem item) {
        return switch (item) {
            case MESSAGES -> s.messages().size();
            case RECENT -> 0;
            case UIDNEXT -> s.uidNext();
            case UIDVALIDITY -> s.uidValidity();
            case UNSEEN -> s.messages().stream().filter(m -> !m.flags().contains(SystemFlag.SEEN)).count();
            case DELETED -> s.messages().stream().filter(m -> m.flags().contains(SystemFlag.DELETED)).count();
            case SIZE -> s.messages().stream().mapToLong(MessageRef::size).sum();
            case HIGHESTMODSEQ -> s.highestModseq();
            case APPENDLIMIT -> appendLimit;
        };
    }

    /** APPEND, one message or several (MULTIAPPEND); a failure midway removes the messages already added. */
    Done append(Command.Append append) throws IOException {
        Folder folder;
        try {
            folder = mailbox.folder(append.mailbox());
        } catch (StoreException e) {
            return StoreErrors.no(e, true);
        }
        List<Long> uids = new ArrayList<>();
        long uidValidity = 0;
        try {
            for (Command.AppendMessage m : append.messages()) {
                if (m.message().size() == 0) {
                    throw new StoreException(StoreException.Reason.NOT_ALLOWED, "Empty message");
                }
                try (InputStream in = m.message().open()) {
                    AppendResult result = folder.append(in, m.flags(), m.internalDate());
                    uids.add(result.uid());
                    uidValidity = result.uidValidity();
                }
            }
        } catch (StoreException e) {
            folder.expunge(uids);
            return StoreErrors.no(e, true);
        }
        return Done.ok("APPENDUID " + uidValidity + " " + SequenceSet.compact(uids), "APPEND completed");
    }

    /** RFC 9208: one quota root, "", for the whole account. */
    Done quotaRoot(String name) throws IOException {
        try {
            mailbox.folder(name);
        } catch (StoreException e) {
            return StoreErrors.no(e, false);
        }
        out.raw("* QUOTAROOT ").astring(MailboxNames.encode(name, out.utf8())).raw(" \"\"").crlf();
        quota();
        return Done.ok("GETQUOTAROOT completed");
    }

    Done quota(String root) throws IOException {
        if (!root.isEmpty()) {
            return Done.no("NONEXISTENT", "No such quota root");
        }
        quota();
        return Done.ok("GETQUOTA completed");
    }

    private void quota() throws IOException {
        QuotaUsage usage = mailbox.quotaUsage();
        List<String> resources = new ArrayList<>();
        if (usage.limits().maxBytes() > 0) {
            resources.add("STORAGE " + (usage.bytes() + 1023) / 1024 + " " + usage.limits().maxBytes() / 1024);
        }
        if (usage.limits().maxMessages() > 0) {
            resources.add("MESSAGE " + usage.messages() + " " + usage.limits().maxMessages());
        }
        out.raw("* QUOTA \"\" (").raw(String.join(" ", resources)).raw(")").crlf();
    }

    private boolean exists(String name) throws IOException {
        Optional<FolderInfo> info = mailbox.folders().stream().filter(f -> f.name().equals(name)).findFirst();
        return info.isPresent() && info.get().exists();
    }

    /** RFC 3501: a trailing delimiter on CREATE says the client means to create children; the folder is the same. */
    private static String stripTrailingDelimiter(String name) {
        return name.length() > 1 && name.charAt(name.length() - 1) == DELIMITER ? name.substring(0, name.length() - 1) : name;
    }
}
