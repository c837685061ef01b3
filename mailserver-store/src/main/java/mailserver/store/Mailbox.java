package mailserver.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import mailserver.store.maildir.FolderName;
import mailserver.store.maildir.SubscriptionsFile;
import mailserver.store.maildir.UidValidityAllocator;
import mailserver.store.maildir.UniqueNames;

/**
 * An account's Maildir: its folder tree, subscriptions and quota. One instance per account per
 * process (from {@link MailStore#open}), shared by all its sessions, as are its {@link Folder}s.
 * Folder names use {@link FolderName#DELIMITER} between levels; INBOX is the Maildir itself.
 */
public final class Mailbox {

    private final Path root;
    private final String host;
    private final UniqueNames uniqueNames;
    private final AccountQuota quota;
    private final UidValidityAllocator uidValidities;
    private final SubscriptionsFile subscriptions;
    private final Map<FolderName, Folder> open = new ConcurrentHashMap<>();
    /** Creating, renaming and deleting folders one at a time keeps {@link #open} consistent with the disk. */
    private final Object treeLock = new Object();

    Mailbox(Path root, String host, UniqueNames uniqueNames, Quota limits) {
        this.root = root;
        this.host = host;
        this.uniqueNames = uniqueNames;
        this.quota = new AccountQuota(root, limits);
        this.uidValidities = new UidValidityAllocator(root);
        this.subscriptions = new SubscriptionsFile(root, host);
    }

    public Path root() {
        return root;
    }

    /** Every folder, INBOX first, with parents that exist only through their children. */
    public List<FolderInfo> folders() throws IOException {
        TreeMap<String, Boolean> names = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> Files.isDirectory(p))) {
            for (Path d : dirs) {
                FolderName name = FolderName.fromDirectory(d.getFileName().toString());
                if (name != null) {
                    names.put(name.name(), true);
                    for (FolderName parent : name.ancestors()) {
                        names.putIfAbsent(parent.name(), false);
                    }
                }
            }
        }
        List<FolderInfo> list = new ArrayList<>();
        list.add(info(FolderName.INBOX, true, names));
        names.forEach((name, exists) -> {
            if (!name.equals(FolderName.INBOX)) {
                list.add(info(name, exists, names));
            }
        });
        return list;
    }

    private static FolderInfo info(String name, boolean exists, TreeMap<String, Boolean> all) {
        String prefix = name + FolderName.DELIMITER;
        String after = all.ceilingKey(prefix);
        boolean hasChildren = after != null && after.startsWith(prefix);
        return new FolderInfo(name, exists, hasChildren, SpecialUse.of(name));
    }

    /** The shared state of a folder; the same object for every caller in this process. */
    public Folder folder(String name) throws IOException {
        FolderName folderName = parse(name);
        Path dir = directory(folderName);
        if (!Files.isDirectory(dir)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "no folder " + folderName);
        }
        synchronized (treeLock) {
            Folder folder = open.get(folderName);
            if (folder == null) {
                folder = new Folder(this, folderName, dir);
                folder.load();
                open.put(folderName, folder);
            }
            return folder;
        }
    }

    public void createFolder(String name) throws IOException {
        FolderName folderName = parse(name);
        if (folderName.isInbox()) {
            throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "INBOX always exists");
        }
        Path dir = directory(folderName);
        synchronized (treeLock) {
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "folder " + folderName + " already exists");
            }
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.createFile(dir.resolve("maildirfolder"));
        }
    }

    /**
     * Deletes a folder and its messages; its children stay (Maildir++ keeps them in their own
     * directories). The directory is first renamed into {@code tmp/}, so a crash midway leaves
     * nothing half-deleted that looks like a folder.
     */
    public void deleteFolder(String name) throws IOException {
        FolderName folderName = parse(name);
        if (folderName.isInbox()) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "INBOX cannot be deleted");
        }
        Path dir = directory(folderName);
        synchronized (treeLock) {
            if (!Files.isDirectory(dir)) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, "no folder " + folderName);
            }
            Path trash = root.resolve("tmp").resolve("deleted-" + uniqueNames.next());
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            Folder folder = open.remove(folderName);
            if (folder != null) {
                folder.markGone();
            }
            deleteTree(trash);
        }
        quota.usageChanged();
    }

    /** Renames a folder and everything below it. INBOX cannot be renamed here. */
    public void renameFolder(String from, String to) throws IOException {
        FolderName source = parse(from);
        FolderName target = parse(to);
        if (source.isInbox() || target.isInbox()) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "INBOX cannot be renamed");
        }
        if (target.equals(source) || target.isDescendantOf(source)) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "cannot rename " + source + " into itself");
        }
        synchronized (treeLock) {
            if (!Files.isDirectory(directory(source))) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, "no folder " + source);
            }
            if (Files.exists(directory(target))) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "folder " + target + " already exists");
            }
            List<FolderName> moving = new ArrayList<>();
            moving.add(source);
            for (FolderInfo info : folders()) {
                FolderName n = new FolderName(info.name());
                if (info.exists() && n.isDescendantOf(source)) {
                    moving.add(n);
                }
            }
            for (FolderName n : moving) {
                FolderName renamed = parse(target.name() + n.name().substring(source.name().length()));
                Files.move(directory(n), directory(renamed), StandardCopyOption.ATOMIC_MOVE);
                Folder folder = open.remove(n);
                if (folder != null) {
                    folder.markGone();
                }
            }
        }
    }

    public Set<String> subscriptions() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        subscriptions.read().forEach(n -> names.add(n.name()));
        return names;
    }

    public void subscribe(String name) throws IOException {
        subscriptions.update(parse(name), true);
    }

    public void unsubscribe(String name) throws IOException {
        subscriptions.update(parse(name), false);
    }

    /** SMTP delivery into a folder (INBOX, or Junk for spam); returns once durable. */
    public AppendResult deliver(String folderName, InputStream message) throws IOException {
        return folder(folderName).deliver(message);
    }

    public QuotaUsage quotaUsage() throws IOException {
        return quota.usage();
    }

    String host() {
        return host;
    }

    UniqueNames uniqueNames() {
        return uniqueNames;
    }

    AccountQuota quota() {
        return quota;
    }

    void limits(Quota limits) {
        quota.limits(limits);
    }

    long nextUidValidity() throws IOException {
        return uidValidities.next();
    }

    void flush() {
        open.values().forEach(Folder::flush);
    }

    private static FolderName parse(String name) throws StoreException {
        String problem = FolderName.problem(name);
        if (problem != null) {
            throw new StoreException(StoreException.Reason.INVALID_NAME, "invalid folder name: " + problem);
        }
        return new FolderName(name);
    }

    /** The folder's directory, checked to be the account root or directly inside it. */
    private Path directory(FolderName name) throws StoreException {
        Path dir = root.resolve(name.directory()).normalize();
        if (!name.isInbox() && !root.equals(dir.getParent())) {
            throw new StoreException(StoreException.Reason.INVALID_NAME, "folder name " + name + " leaves the Maildir");
        }
        return dir;
    }

    private static void deleteTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException raced) {
                    // a late delivery into the deleted folder; tmp/ is cleaned by hand if ever
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
