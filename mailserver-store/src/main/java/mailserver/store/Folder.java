package mailserver.store;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import mailserver.store.index.FolderIndex;
import mailserver.store.index.IndexedMessage;
import mailserver.store.maildir.DotLock;
import mailserver.store.maildir.Durability;
import mailserver.store.maildir.FileStamp;
import mailserver.store.maildir.FolderName;
import mailserver.store.maildir.KeywordsFile;
import mailserver.store.maildir.MaildirFileName;
import mailserver.store.maildir.UidList;
import mailserver.store.maildir.UidListFile;
import mailserver.store.maildir.UidListParser;
import mailserver.store.mime.MessageStructure;
import mailserver.store.mime.MessageStructureParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One folder of an account, shared by every session and delivery of this process: the list of
 * messages with UIDs, flags and modseqs, kept in step with the Maildir on disk. All changes go
 * through one lock per folder; other processes are kept in step through {@code dovecot-uidlist}
 * and its dotlock, as Dovecot does. Listeners hear about every change.
 *
 * <p>Truth is on disk: the file names hold the flags, {@code dovecot-uidlist} the UIDs. Modseqs
 * exist only here and in our index; a folder loaded without its index starts them above any
 * value handed out before (microseconds since the epoch), so they never go backwards.
 */
public final class Folder {

    private static final Logger LOG = LoggerFactory.getLogger(Folder.class);
    private static final int HEADER_LIMIT = 1 << 20;
    private static final int STRUCTURE_CACHE = 64;
    /**
     * While {@code cur/} or {@code new/} is too fresh to trust its stamp, it is listed again at
     * most this often when its stamp is one we saw at a listing or made ourselves: a change by
     * another process within the same clock tick shows at the latest this much later.
     */
    private static final long RELIST_INTERVAL_MILLIS = 500;
    /** The index is a cache: under steady changes it is rewritten at most this often (and on close). */
    private static final long INDEX_WRITE_INTERVAL_NANOS = 10_000_000_000L;

    private final Mailbox account;
    private final FolderName name;
    private final Path dir;
    private final Path cur;
    private final Path newDir;
    private final Path tmp;
    private final UidListFile uidListFile;
    private final KeywordsFile keywords;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, MessageStructure> structures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, MessageStructure> eldest) {
            return size() > STRUCTURE_CACHE;
        }
    };

    // Guarded by lock.
    private long uidValidity;
    private long nextUid = 1;
    private String guid = "";
    private long highestModseq;
    private TreeMap<Long, IndexedMessage> messages = new TreeMap<>();
    private Map<String, Long> uidByBase = new HashMap<>();
    /** What the disk looked like when {@link #messages} matched it; null means "look again". */
    private FileStamp knownUidList;
    private FileStamp knownCur;
    private FileStamp knownNew;
    /** The directories' stamps when memory last matched them (a listing, or a change of our own), and when listed. */
    private FileStamp matchedCur;
    private FileStamp matchedNew;
    private long listedAt;
    /** {@link System#nanoTime} of the last look at the disk; read without the lock. */
    private volatile long lookedAt = System.nanoTime() - Long.MAX_VALUE / 2;
    private boolean loaded;
    private boolean indexDirty;
    private boolean indexWritten;
    private long indexWrittenAt;
    /** What {@link #sync} hands out, shared by every session; null when the folder changed since. */
    private FolderSnapshot snapshot;
    /** The last snapshot built, whose unchanged {@link MessageRef}s the next one reuses. */
    private FolderSnapshot lastBuilt;
    /** The keywords file's generation the snapshots' flags were decoded with. */
    private int snapshotKeywords = -1;
    /** Counts changes to memory; with it, the listings memory last matched ({@link #listingMatchesMemory}). */
    private long version;
    private long listedVersion = -1;
    private String[] listedNew;
    private String[] listedCur;
    private boolean gone;

    Folder(Mailbox account, FolderName name, Path dir) {
        this.account = account;
        this.name = name;
        this.dir = dir;
        this.cur = dir.resolve("cur");
        this.newDir = dir.resolve("new");
        this.tmp = dir.resolve("tmp");
        this.uidListFile = new UidListFile(dir, account.host());
        this.keywords = new KeywordsFile(dir, account.host());
    }

    /** Reads our index, if there is a usable one; the next sync compares it with the disk. */
    void load() {
        lock.lock();
        try {
            highestModseq = modseqFloor();
            FolderIndex.Contents index = FolderIndex.read(dir);
            if (index != null) {
                uidValidity = index.uidValidity();
                nextUid = index.nextUid();
                guid = index.guid();
                highestModseq = Math.max(index.highestModseq(), highestModseq);
                for (IndexedMessage m : index.messages()) {
                    messages.put(m.uid(), m);
                    uidByBase.put(m.base(), m.uid());
                }
                knownUidList = index.uidList();
                knownCur = index.cur();
                knownNew = index.newDir();
                loaded = true;
            }
        } finally {
            lock.unlock();
        }
    }

    public String name() {
        return name.name();
    }

    public Mailbox mailbox() {
        return account;
    }

    /**
     * Whether a {@link #sync} looked at the disk within the last {@code nanos}: what it found was
     * told to the listeners, so a poll for other processes' changes can wait. No I/O, no lock.
     */
    public boolean lookedWithin(long nanos) {
        return System.nanoTime() - lookedAt < nanos;
    }

    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ChangeListener listener) {
        listeners.remove(listener);
    }

    /**
     * Brings the folder up to date with the disk (changes by other processes) and returns it: the
     * same snapshot object as long as nothing changed.
     */
    public FolderSnapshot sync() throws IOException {
        lock.lock();
        try {
            refresh();
            keywords.reloadIfChanged();
            if (keywords.generation() != snapshotKeywords) {
                // Letters may name other keywords now: no cached flags hold.
                snapshot = null;
                lastBuilt = null;
            }
            if (snapshot == null) {
                snapshot = buildSnapshot();
                lastBuilt = snapshot;
                snapshotKeywords = keywords.generation();
            }
            maybeWriteIndex();
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    /** A message whose modseq did not change has the same flags, so its old ref serves again. */
    private FolderSnapshot buildSnapshot() {
        Map<String, Flags> flagsByLetters = new HashMap<>();
        List<MessageRef> refs = new ArrayList<>(messages.size());
        for (IndexedMessage m : messages.values()) {
            MessageRef old = lastBuilt == null ? null : lastBuilt.byUid(m.uid());
            refs.add(old != null && old.modseq() == m.modseq() ? old : ref(m, flagsByLetters));
        }
        return new FolderSnapshot(uidValidity, nextUid, highestModseq, refs);
    }

    /** Memory no longer matches the last snapshot; the index needs writing. */
    private void changed() {
        version++;
        snapshot = null;
        indexDirty = true;
    }

    /** SMTP delivery: into {@code new/}, no flags, arrival time now. Returns once durable. */
    public AppendResult deliver(InputStream message) throws IOException {
        return save(message, Flags.NONE, null, true);
    }

    /** IMAP APPEND. {@code internalDate} may be null for "now". Returns once durable. */
    public AppendResult append(InputStream message, Flags flags, Instant internalDate) throws IOException {
        return save(message, flags, internalDate, false);
    }

    private AppendResult save(InputStream message, Flags flags, Instant internalDate, boolean intoNew) throws IOException {
        ensureExists();
        String unique = account.uniqueNames().next();
        Path tmpFile = tmp.resolve(unique);
        long size;
        try {
            size = MessageFiles.writeDurably(message, tmpFile);
            account.quota().reserve(size, 1);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmpFile);
            throw e;
        }
        boolean saved = false;
        try {
            if (internalDate != null) {
                Files.setLastModifiedTime(tmpFile, FileTime.from(internalDate));
            }
            long date = Files.getLastModifiedTime(tmpFile).toMillis();
            String base = unique + ",S=" + size + ",W=" + size;
            lock.lock();
            try {
                ensureOpen();
                String letters = letters(flags, true);
                boolean inNew = intoNew && letters.isEmpty();
                MaildirFileName fileName = MaildirFileName.of(base, letters);
                Path target = inNew ? newDir.resolve(fileName.fileName()) : cur.resolve(fileName.curFileName());
                Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
                saved = true;
                Durability.fsyncDirectory(target.getParent());
                Arrival arrival = new Arrival(base, target.getFileName().toString(), inNew, size, size, date);
                long uid = assign(List.of(arrival)).get(0);
                return new AppendResult(uidValidity, uid);
            } finally {
                lock.unlock();
            }
        } finally {
            if (!saved) {
                Files.deleteIfExists(tmpFile);
                account.quota().release(size, 1);
            }
        }
    }

    /** The message in its CRLF form. */
    public InputStream open(long uid) throws IOException {
        for (int attempt = 0; ; attempt++) {
            IndexedMessage m = message(uid);
            try {
                return crlf(Files.newInputStream(path(m)), m);
            } catch (NoSuchFileException e) {
                if (attempt > 0) {
                    throw expunged(uid);
                }
                resync();
            }
        }
    }

    /** {@code length} bytes from {@code offset} of the CRLF form (a partial FETCH). */
    public InputStream openRange(long uid, long offset, long length) throws IOException {
        IndexedMessage m = message(uid);
        if (m.physicalSize() == m.virtualSize()) {
            for (int attempt = 0; ; attempt++) {
                try {
                    FileChannel ch = FileChannel.open(path(m), StandardOpenOption.READ);
                    ch.position(offset);
                    return new RangeInputStream(new BufferedInputStream(Channels.newInputStream(ch)), length);
                } catch (NoSuchFileException e) {
                    if (attempt > 0) {
                        throw expunged(uid);
                    }
                    resync();
                    m = message(uid);
                }
            }
        }
        InputStream in = open(uid);
        in.skipNBytes(Math.min(offset, m.virtualSize()));
        return new RangeInputStream(in, length);
    }

    /** The header, CRLF line ends, up to and including the empty line (at most 1 MiB). */
    public byte[] header(long uid) throws IOException {
        try (InputStream in = open(uid)) {
            return MessageFiles.header(in, HEADER_LIMIT);
        }
    }

    /** The parsed MIME structure, for ENVELOPE and BODYSTRUCTURE. */
    public MessageStructure structure(long uid) throws IOException {
        synchronized (structures) {
            MessageStructure cached = structures.get(uid);
            if (cached != null) {
                return cached;
            }
        }
        MessageStructure parsed;
        try (InputStream in = open(uid)) {
            parsed = MessageStructureParser.parse(in);
        }
        synchronized (structures) {
            structures.put(uid, parsed);
        }
        return parsed;
    }

    /**
     * Changes flags (IMAP STORE). Messages already expunged are skipped.
     *
     * @param unchangedSince RFC 7162 UNCHANGEDSINCE, or a negative number for none
     */
    public StoreResult store(Collection<Long> uids, FlagUpdate mode, Flags flags, long unchangedSince) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            keywords.reloadIfChanged();
            String given = letters(flags, mode != FlagUpdate.REMOVE);
            List<MessageRef> changed = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            Map<String, Flags> flagsByLetters = new HashMap<>();
            for (long uid : new TreeSet<>(uids)) {
                IndexedMessage m = messages.get(uid);
                if (m == null) {
                    continue;
                }
                if (unchangedSince >= 0 && m.modseq() > unchangedSince) {
                    modified.add(uid);
                    continue;
                }
                String current = MaildirFileName.parse(m.fileName()).flagLetters();
                String wanted = combine(current, given, mode);
                if (wanted.equals(current)) {
                    continue;
                }
                IndexedMessage renamed = renameWithFlags(m, wanted);
                if (renamed != null) {
                    changed.add(ref(renamed, flagsByLetters));
                }
            }
            if (!changed.isEmpty()) {
                ownChangeDone();
                for (ChangeListener l : listeners) {
                    l.flagsChanged(this, changed);
                }
            }
            return new StoreResult(changed, modified);
        } finally {
            lock.unlock();
        }
    }

    /** Removes messages for good. Returns the UIDs this call removed. */
    public List<Long> expunge(Collection<Long> uids) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            List<Long> removed = new ArrayList<>();
            long bytes = 0;
            for (long uid : new TreeSet<>(uids)) {
                IndexedMessage m = messages.get(uid);
                for (int attempt = 0; m != null; attempt++) {
                    try {
                        Files.delete(path(m));
                        forget(m);
                        removed.add(uid);
                        bytes += m.physicalSize();
                        break;
                    } catch (NoSuchFileException e) {
                        if (attempt > 0) {
                            break;
                        }
                        scanUnderLock();
                        m = messages.get(uid);
                    }
                }
            }
            if (!removed.isEmpty()) {
                ownChangeDone();
                account.quota().release(bytes, removed.size());
                for (ChangeListener l : listeners) {
                    l.messagesExpunged(this, removed);
                }
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** IMAP COPY: hard links where the file system allows, flags and internal date kept. */
    public CopyResult copy(Collection<Long> uids, Folder target) throws IOException {
        return transfer(uids, target, false);
    }

    /** IMAP MOVE: each file is renamed into the target, so no crash can leave it in both or neither. */
    public CopyResult move(Collection<Long> uids, Folder target) throws IOException {
        return transfer(uids, target, true);
    }

    /**
     * Never holds both folders' locks at once (two opposite moves cannot deadlock): read the
     * sources, name the files in the target, link or rename them there, then give them UIDs.
     */
    private CopyResult transfer(Collection<Long> uids, Folder target, boolean move) throws IOException {
        List<IndexedMessage> sources = new ArrayList<>();
        List<Flags> sourceFlags = new ArrayList<>();
        lock.lock();
        try {
            ensureOpen();
            keywords.reloadIfChanged();
            Map<String, Flags> cache = new HashMap<>();
            for (long uid : new TreeSet<>(uids)) {
                IndexedMessage m = messages.get(uid);
                if (m != null) {
                    sources.add(m);
                    sourceFlags.add(ref(m, cache).flags());
                }
            }
        } finally {
            lock.unlock();
        }
        List<String> targetNames = target.namesFor(sources, sourceFlags);
        long bytes = sources.stream().mapToLong(IndexedMessage::physicalSize).sum();
        if (!move) {
            target.account.quota().reserve(bytes, sources.size());
        }
        List<Long> done = new ArrayList<>();
        List<Arrival> arrivals = new ArrayList<>();
        lock.lock();
        try {
            ensureOpen();
            for (int i = 0; i < sources.size(); i++) {
                IndexedMessage m = messages.get(sources.get(i).uid());
                Path to = target.cur.resolve(targetNames.get(i));
                for (int attempt = 0; m != null; attempt++) {
                    try {
                        placeInTarget(path(m), to, move);
                        done.add(m.uid());
                        arrivals.add(new Arrival(MaildirFileName.parse(targetNames.get(i)).base(), targetNames.get(i),
                                false, m.physicalSize(), m.virtualSize(), m.internalDate()));
                        if (move) {
                            forget(m);
                        }
                        break;
                    } catch (NoSuchFileException e) {
                        if (attempt > 0) {
                            break;
                        }
                        scanUnderLock();
                        m = messages.get(sources.get(i).uid());
                    }
                }
            }
            if (!arrivals.isEmpty()) {
                Durability.fsyncDirectory(target.cur);
            }
            if (move && !done.isEmpty()) {
                ownChangeDone();
                for (ChangeListener l : listeners) {
                    l.messagesExpunged(this, done);
                }
            }
        } finally {
            lock.unlock();
            if (!move && done.size() < sources.size()) {
                long placed = arrivals.stream().mapToLong(Arrival::physicalSize).sum();
                target.account.quota().release(bytes - placed, sources.size() - done.size());
            }
        }
        List<Long> targetUids = target.assignFromOutside(arrivals);
        return new CopyResult(target.uidValidityNow(), done, targetUids);
    }

    private static void placeInTarget(Path from, Path to, boolean move) throws IOException {
        if (move) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException missing) {
                throw missing;
            }
            // Another file system or no hard links: a durable copy does the same job.
            Path tmpCopy = to.resolveSibling("../tmp/" + to.getFileName()).normalize();
            try (InputStream in = Files.newInputStream(from)) {
                Files.copy(in, tmpCopy);
            }
            try (FileChannel ch = FileChannel.open(tmpCopy, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setLastModifiedTime(tmpCopy, Files.getLastModifiedTime(from));
            Files.move(tmpCopy, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** File names in this folder for copies of {@code sources}, keywords mapped to our own letters. */
    private List<String> namesFor(List<IndexedMessage> sources, List<Flags> flags) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            List<String> names = new ArrayList<>(sources.size());
            for (int i = 0; i < sources.size(); i++) {
                IndexedMessage m = sources.get(i);
                String base = account.uniqueNames().next() + ",S=" + m.physicalSize() + ",W=" + m.virtualSize();
                names.add(MaildirFileName.of(base, letters(flags.get(i), true)).curFileName());
            }
            return names;
        } finally {
            lock.unlock();
        }
    }

    private List<Long> assignFromOutside(List<Arrival> arrivals) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            return assign(arrivals);
        } finally {
            lock.unlock();
        }
    }

    private long uidValidityNow() {
        lock.lock();
        try {
            return uidValidity;
        } finally {
            lock.unlock();
        }
    }

    /** A message file already in {@code new/} or {@code cur/} that needs a UID. */
    private record Arrival(String base, String fileName, boolean inNew, long physicalSize, long virtualSize, long date) {
    }

    /**
     * Gives arrivals UIDs: appended to {@code dovecot-uidlist} when nobody else changed it since
     * we read it, otherwise through a full scan (which finds the arrivals too). Lock held.
     */
    private List<Long> assign(List<Arrival> arrivals) throws IOException {
        if (arrivals.isEmpty()) {
            return List.of();
        }
        try (DotLock dotLock = uidListFile.lock()) {
            FileStamp now = uidListFile.stamp();
            if (!loaded || now == null || !now.equals(knownUidList)) {
                scan(dotLock);
            } else {
                List<UidList.Record> records = new ArrayList<>();
                List<MessageRef> added = new ArrayList<>();
                Map<String, Flags> cache = new HashMap<>();
                for (Arrival a : arrivals) {
                    if (uidByBase.containsKey(a.base())) {
                        continue;
                    }
                    IndexedMessage m = new IndexedMessage(nextUid++, a.base(), a.fileName(), a.inNew(), ++highestModseq,
                            a.physicalSize(), a.virtualSize(), a.date());
                    messages.put(m.uid(), m);
                    uidByBase.put(m.base(), m.uid());
                    records.add(new UidList.Record(m.uid(), "", m.base()));
                    added.add(ref(m, cache));
                }
                uidListFile.append(dotLock, records);
                knownUidList = uidListFile.stamp();
                changed();
                ownChangeDone();
                for (ChangeListener l : listeners) {
                    l.messagesAdded(this, added);
                }
            }
        }
        List<Long> uids = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            Long uid = uidByBase.get(a.base());
            if (uid == null) {
                throw new StoreException(StoreException.Reason.NO_SUCH_MESSAGE,
                        "message " + a.base() + " was expunged before it got a UID");
            }
            uids.add(uid);
        }
        return uids;
    }

    private IndexedMessage renameWithFlags(IndexedMessage m, String letters) throws IOException {
        for (int attempt = 0; m != null; attempt++) {
            String newName = MaildirFileName.parse(m.fileName()).withFlags(letters).curFileName();
            try {
                Files.move(path(m), cur.resolve(newName), StandardCopyOption.ATOMIC_MOVE);
                IndexedMessage renamed = m.withFile(newName, false, ++highestModseq);
                messages.put(renamed.uid(), renamed);
                changed();
                return renamed;
            } catch (NoSuchFileException e) {
                if (attempt > 0) {
                    return null;
                }
                // Renamed (flags) or expunged by another process: learn its new name, try once more.
                long uid = m.uid();
                scanUnderLock();
                m = messages.get(uid);
            }
        }
        return null;
    }

    /**
     * Three stats when nothing changed. The uidlist's stamp is exact (it only grows, or is
     * replaced by a rename); the directories' are not, so while they are fresh they are listed
     * again, at most every {@link #RELIST_INTERVAL_MILLIS} while their stamps are ones we know.
     * When the uidlist did not change, a listing that matches memory name for name is enough:
     * the usual case after this process's own changes, needing neither the dotlock nor a read
     * of the uidlist.
     */
    private void refresh() throws IOException {
        ensureOpen();
        lookedAt = System.nanoTime();
        FileStamp u = uidListFile.stamp();
        long seenAt = System.currentTimeMillis();
        FileStamp c = FileStamp.of(cur);
        FileStamp n = FileStamp.of(newDir);
        if (loaded && u != null && u.equals(knownUidList) && c != null && n != null) {
            if (c.equals(knownCur) && n.equals(knownNew)) {
                return;
            }
            if (c.equals(matchedCur) && n.equals(matchedNew) && seenAt >= listedAt
                    && seenAt - listedAt < RELIST_INTERVAL_MILLIS) {
                return;
            }
            if (listingMatchesMemory()) {
                listed(c, n, seenAt);
                return;
            }
        }
        scanUnderLock();
    }

    /** Memory matched the directories as listed after taking these stamps at {@code seenAt}. */
    private void listed(FileStamp c, FileStamp n, long seenAt) {
        knownCur = c != null && c.settledAt(seenAt) ? c : null;
        knownNew = n != null && n.settledAt(seenAt) ? n : null;
        matchedCur = c;
        matchedNew = n;
        listedAt = seenAt;
    }

    /**
     * After a change of our own to the directories, lock held: memory matches them as they are
     * now. A change by another process in the same clock tick hides behind the new stamps until
     * the next listing, at most {@link #RELIST_INTERVAL_MILLIS} away.
     */
    private void ownChangeDone() throws IOException {
        if (matchedCur != null && matchedNew != null) {
            matchedCur = FileStamp.of(cur);
            matchedNew = FileStamp.of(newDir);
        }
    }

    /**
     * Whether {@code new/} and {@code cur/} hold exactly the files memory has, under the same names.
     * Listings equal to the last ones that matched (in the same order) still match if memory did
     * not change since, which spares looking up every name.
     */
    private boolean listingMatchesMemory() {
        String[] inNew = new File(newDir.toString()).list();
        String[] inCur = new File(cur.toString()).list();
        if (inNew == null || inCur == null) {
            return false;
        }
        if (listedVersion == version && Arrays.equals(inNew, listedNew) && Arrays.equals(inCur, listedCur)) {
            return true;
        }
        if (!namesMatchMemory(inNew, inCur)) {
            return false;
        }
        listedVersion = version;
        listedNew = inNew;
        listedCur = inCur;
        return true;
    }

    private boolean namesMatchMemory(String[] inNewDir, String[] inCurDir) {
        int found = 0;
        for (boolean inNew : new boolean[] {true, false}) {
            for (String fileName : inNew ? inNewDir : inCurDir) {
                String base = MaildirFileName.baseOf(fileName);
                if (base == null) {
                    continue;
                }
                Long uid = uidByBase.get(base);
                IndexedMessage m = uid == null ? null : messages.get(uid);
                if (m == null || m.inNew() != inNew || !m.fileName().equals(fileName)) {
                    return false;
                }
                found++;
            }
        }
        return found == messages.size();
    }

    private void resync() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            scanUnderLock();
        } finally {
            lock.unlock();
        }
    }

    private void scanUnderLock() throws IOException {
        try (DotLock dotLock = uidListFile.lock()) {
            scan(dotLock);
        }
    }

    /** A file found in {@code new/} or {@code cur/}. */
    private record Listed(String fileName, boolean inNew) {
    }

    /**
     * Reconciles memory with the disk, under the uidlist dotlock: UIDs from the uidlist, flags
     * from the file names, new UIDs for files the uidlist lacks, and entries whose file is gone
     * dropped (expunged elsewhere). Tells the listeners what changed.
     */
    private void scan(DotLock dotLock) throws IOException {
        ensureDirectories();
        long seenAt = System.currentTimeMillis();
        FileStamp c = FileStamp.of(cur);
        FileStamp n = FileStamp.of(newDir);
        UidListParser.Result read = uidListFile.read();
        UidList list;
        boolean rewrite;
        if (read == null) {
            list = new UidList(account.nextUidValidity(), 1, newGuid(), List.of());
            rewrite = true;
        } else {
            list = read.uidList();
            rewrite = read.droppedLines() > 0 || read.endsMidLine();
        }
        List<Long> expunged = new ArrayList<>();
        List<IndexedMessage> added = new ArrayList<>();
        List<IndexedMessage> flagged = new ArrayList<>();
        if (loaded && list.uidValidity() != uidValidity) {
            LOG.warn("{}: UIDVALIDITY changed from {} to {}", dir, uidValidity, list.uidValidity());
            expunged.addAll(messages.keySet());
            messages = new TreeMap<>();
            uidByBase = new HashMap<>();
            lastBuilt = null;
            synchronized (structures) {
                structures.clear();
            }
        }
        Map<String, Listed> files = listFiles();
        boolean knownMissing = list.records().stream()
                .anyMatch(r -> !files.containsKey(r.base()) && messages.containsKey(r.uid()));
        if (knownMissing) {
            // A rename by another process can hide a file from one listing; look once more.
            files.clear();
            files.putAll(listFiles());
        }
        TreeMap<Long, IndexedMessage> found = new TreeMap<>();
        List<UidList.Record> kept = new ArrayList<>(list.records().size());
        for (UidList.Record r : list.records()) {
            Listed f = files.remove(r.base());
            if (f == null) {
                rewrite = true;
                continue;
            }
            IndexedMessage known = messages.get(r.uid());
            IndexedMessage m;
            if (known != null && known.base().equals(r.base())) {
                m = known;
                if (!known.fileName().equals(f.fileName()) || known.inNew() != f.inNew()) {
                    boolean flagsDiffer = !MaildirFileName.parse(known.fileName()).flagLetters()
                            .equals(MaildirFileName.parse(f.fileName()).flagLetters());
                    m = known.withFile(f.fileName(), f.inNew(), flagsDiffer ? ++highestModseq : known.modseq());
                    if (flagsDiffer) {
                        flagged.add(m);
                    }
                }
            } else {
                m = describe(r.uid(), f);
                if (m == null) {
                    kept.add(r);
                    continue;
                }
                added.add(m);
            }
            kept.add(r);
            found.put(r.uid(), m);
        }
        for (Long uid : messages.keySet()) {
            if (!found.containsKey(uid)) {
                expunged.add(uid);
            }
        }
        long next = list.nextUid();
        List<UidList.Record> appended = new ArrayList<>();
        for (String base : new TreeSet<>(files.keySet())) {
            IndexedMessage m = describe(next, files.get(base));
            if (m == null) {
                continue;
            }
            appended.add(new UidList.Record(next++, "", base));
            found.put(m.uid(), m);
            added.add(m);
        }
        FileStamp uidListStamp;
        if (rewrite) {
            List<UidList.Record> all = new ArrayList<>(kept);
            all.addAll(appended);
            uidListStamp = uidListFile.rewrite(dotLock, new UidList(list.uidValidity(), next, list.guid(), all));
        } else {
            if (!appended.isEmpty()) {
                uidListFile.append(dotLock, appended);
            }
            uidListStamp = uidListFile.stamp();
        }
        uidValidity = list.uidValidity();
        nextUid = next;
        guid = list.guid();
        messages = found;
        uidByBase = new HashMap<>(found.size() * 2);
        for (IndexedMessage m : found.values()) {
            uidByBase.put(m.base(), m.uid());
        }
        knownUidList = uidListStamp;
        listed(c, n, seenAt);
        if (!loaded || !expunged.isEmpty() || !added.isEmpty() || !flagged.isEmpty() || snapshot == null
                || snapshot.uidValidity() != uidValidity || snapshot.uidNext() != nextUid) {
            changed();
        }
        loaded = true;
        announce(expunged, added, flagged);
    }

    private void announce(List<Long> expunged, List<IndexedMessage> added, List<IndexedMessage> flagged) {
        if (expunged.isEmpty() && added.isEmpty() && flagged.isEmpty()) {
            return;
        }
        synchronized (structures) {
            expunged.forEach(structures::remove);
        }
        Map<String, Flags> cache = new HashMap<>();
        List<MessageRef> addedRefs = added.stream().map(m -> ref(m, cache)).toList();
        List<MessageRef> flaggedRefs = flagged.stream().map(m -> ref(m, cache)).toList();
        for (ChangeListener l : listeners) {
            if (!expunged.isEmpty()) {
                l.messagesExpunged(this, List.copyOf(expunged));
            }
            if (!addedRefs.isEmpty()) {
                l.messagesAdded(this, addedRefs);
            }
            if (!flaggedRefs.isEmpty()) {
                l.flagsChanged(this, flaggedRefs);
            }
        }
    }

    /** Lists {@code new/} before {@code cur/}: a file moving from one to the other is then seen at least once. */
    private Map<String, Listed> listFiles() throws IOException {
        Map<String, Listed> files = new HashMap<>();
        for (boolean inNew : new boolean[] {true, false}) {
            Path sub = inNew ? newDir : cur;
            String[] names = new File(sub.toString()).list();
            if (names == null) {
                throw new NoSuchFileException(sub.toString());
            }
            for (String fileName : names) {
                MaildirFileName parsed = MaildirFileName.parse(fileName);
                if (parsed != null) {
                    files.put(parsed.base(), new Listed(fileName, inNew));
                }
            }
        }
        return files;
    }

    /** What a file we have not seen before is: one stat, and a read only if its name lacks the sizes. */
    private IndexedMessage describe(long uid, Listed f) throws IOException {
        Path path = (f.inNew() ? newDir : cur).resolve(f.fileName());
        MaildirFileName name = MaildirFileName.parse(f.fileName());
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            long physical = name.size().orElse(attributes.size());
            long virtual = name.virtualSize().isPresent() ? name.virtualSize().getAsLong()
                    : MessageFiles.virtualSize(path);
            return new IndexedMessage(uid, name.base(), f.fileName(), f.inNew(), ++highestModseq, physical, virtual,
                    attributes.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void forget(IndexedMessage m) {
        messages.remove(m.uid());
        uidByBase.remove(m.base());
        changed();
        synchronized (structures) {
            structures.remove(m.uid());
        }
    }

    private IndexedMessage message(long uid) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            IndexedMessage m = messages.get(uid);
            if (m == null) {
                throw expunged(uid);
            }
            return m;
        } finally {
            lock.unlock();
        }
    }

    private static StoreException expunged(long uid) {
        return new StoreException(StoreException.Reason.NO_SUCH_MESSAGE, "message " + uid + " has been expunged");
    }

    private Path path(IndexedMessage m) {
        return (m.inNew() ? newDir : cur).resolve(m.fileName());
    }

    private InputStream crlf(InputStream raw, IndexedMessage m) {
        InputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        return m.physicalSize() == m.virtualSize() ? buffered : new CrlfInputStream(buffered);
    }

    private MessageRef ref(IndexedMessage m, Map<String, Flags> cache) {
        String letters = MaildirFileName.parse(m.fileName()).flagLetters();
        Flags flags = cache.computeIfAbsent(letters, this::flagsOf);
        return new MessageRef(m.uid(), m.modseq(), flags, m.virtualSize(), Instant.ofEpochMilli(m.internalDate()));
    }

    private Flags flagsOf(String letters) {
        List<SystemFlag> system = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (char c : letters.toCharArray()) {
            SystemFlag f = SystemFlag.ofLetter(c);
            if (f != null) {
                system.add(f);
            } else if (c >= 'a' && c <= 'z' && keywords.keyword(c) != null) {
                words.add(keywords.keyword(c));
            }
        }
        return new Flags(system.isEmpty() ? java.util.EnumSet.noneOf(SystemFlag.class) : java.util.EnumSet.copyOf(system),
                new TreeSet<>(words));
    }

    /** The file name letters for {@code flags}; keywords new to this folder are added when {@code create}. */
    private String letters(Flags flags, boolean create) throws IOException {
        StringBuilder out = new StringBuilder();
        flags.system().forEach(f -> out.append(f.letter()));
        for (String keyword : flags.keywords()) {
            char letter = create ? keywords.letter(keyword) : keywords.existingLetter(keyword);
            if (letter == 0 && create) {
                throw new StoreException(StoreException.Reason.KEYWORD_LIMIT,
                        "folder " + name + " already has " + KeywordsFile.MAX_KEYWORDS + " keywords");
            }
            if (letter != 0) {
                out.append(letter);
            }
        }
        return out.toString();
    }

    /**
     * Applies an update to a file's letters. REPLACE keeps letters that are not ours to manage
     * (Maildir's {@code P}, keywords this folder does not know), so other software's flags survive.
     */
    private String combine(String current, String given, FlagUpdate mode) {
        StringBuilder out = new StringBuilder();
        switch (mode) {
            case ADD -> out.append(current).append(given);
            case REMOVE -> current.chars().filter(c -> given.indexOf(c) < 0).forEach(c -> out.append((char) c));
            case REPLACE -> {
                current.chars().filter(c -> (Character.isUpperCase(c) && SystemFlag.ofLetter((char) c) == null)
                        || (Character.isLowerCase(c) && keywords.keyword((char) c) == null))
                        .forEach(c -> out.append((char) c));
                out.append(given);
            }
            default -> throw new IllegalStateException();
        }
        return MaildirFileName.of("x", out.toString()).flagLetters();
    }

    private void maybeWriteIndex() {
        if (indexDirty && (!indexWritten || System.nanoTime() - indexWrittenAt > INDEX_WRITE_INTERVAL_NANOS)) {
            writeIndex();
        }
    }

    /** Saves the index now (the store calls this on close). */
    void flush() {
        lock.lock();
        try {
            if (indexDirty && loaded && !gone) {
                writeIndex();
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeIndex() {
        try {
            FolderIndex.write(dir, new FolderIndex.Contents(uidValidity, nextUid, guid, highestModseq,
                    knownUidList, knownCur, knownNew, new ArrayList<>(messages.values())));
            indexDirty = false;
            indexWritten = true;
            indexWrittenAt = System.nanoTime();
        } catch (IOException e) {
            // A cache we could not write costs a slower next open, nothing more.
            LOG.warn("could not write index in {}: {}", dir, e.toString());
        }
    }

    /** The folder was deleted or renamed away: every session sees its messages go. */
    void markGone() {
        lock.lock();
        try {
            gone = true;
            List<Long> all = new ArrayList<>(messages.keySet());
            messages = new TreeMap<>();
            uidByBase = new HashMap<>();
            snapshot = null;
            lastBuilt = null;
            if (!all.isEmpty()) {
                for (ChangeListener l : listeners) {
                    l.messagesExpunged(this, all);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() throws StoreException {
        if (gone) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "folder " + name + " no longer exists");
        }
    }

    private void ensureExists() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            ensureDirectories();
        } finally {
            lock.unlock();
        }
    }

    /** Dovecot creates missing {@code cur/ new/ tmp/} on the fly; so do we, but not a missing folder. */
    private void ensureDirectories() throws IOException {
        if (!Files.isDirectory(dir)) {
            gone = true;
            throw new StoreException(StoreException.Reason.NOT_FOUND, "folder " + name + " does not exist");
        }
        for (Path sub : new Path[] {cur, newDir, tmp}) {
            if (!Files.isDirectory(sub)) {
                Files.createDirectories(sub);
            }
        }
    }

    private static long modseqFloor() {
        return System.currentTimeMillis() * 1000;
    }

    private static String newGuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong());
    }
}
