package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.SubjectTerm;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Angus Mail (Jakarta Mail's IMAP provider), a real client, against the running server over TLS. */
class AngusMailTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Store imaps(String user, String password) throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.trust", "*");
        p.put("mail.imaps.ssl.checkserveridentity", "false");
        p.put("mail.imaps.timeout", "20000");
        Store store = Session.getInstance(p).getStore("imaps");
        store.connect("127.0.0.1", server.port("imaps"), user, password);
        return store;
    }

    private static MimeMessage message(Session session, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Jürgen Müller <juergen@example.test>", true));
        m.setRecipients(Message.RecipientType.TO, "alice@example.test");
        m.setSubject(subject, "UTF-8");
        MimeMultipart mixed = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Grüße aus Köln\n", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(new byte[] {0, 1, 2, 3, (byte) 0xff}, "application/octet-stream");
        attachment.setFileName("data.bin");
        mixed.addBodyPart(text);
        mixed.addBodyPart(attachment);
        m.setContent(mixed);
        m.saveChanges();
        return m;
    }

    @Test
    void appendFetchPartsFlagsSearchMoveExpunge() throws Exception {
        Store store = imaps("alice@example.test", "secret");
        try {
            Folder work = store.getFolder("Angus");
            assertThat(work.create(Folder.HOLDS_MESSAGES)).isTrue();
            work.open(Folder.READ_WRITE);
            Session session = Session.getInstance(new Properties());
            AppendUID[] uids = ((IMAPFolder) work).appendUIDMessages(new Message[] {message(session, "first"), message(session, "zweite Nachricht")});
            assertThat(uids).extracting(u -> u.uid).containsExactly(1L, 2L);
            assertThat(work.getMessageCount()).isEqualTo(2);

            Message second = work.getMessage(2);
            assertThat(second.getSubject()).isEqualTo("zweite Nachricht");
            assertThat(((InternetAddress) second.getFrom()[0]).getPersonal()).isEqualTo("Jürgen Müller");
            Multipart parts = (Multipart) second.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            BodyPart text = parts.getBodyPart(0);
            assertThat(((String) text.getContent()).trim()).isEqualTo("Grüße aus Köln");
            BodyPart attachment = parts.getBodyPart(1);
            assertThat(attachment.getFileName()).isEqualTo("data.bin");
            assertThat(attachment.getInputStream().readAllBytes()).containsExactly(0, 1, 2, 3, 0xff);
            assertThat(second.getFlags().contains(Flags.Flag.SEEN)).isTrue();

            work.getMessage(1).setFlags(new Flags(Flags.Flag.FLAGGED), true);
            Flags custom = new Flags("$Label1");
            work.getMessage(1).setFlags(custom, true);
            assertThat(work.getMessage(1).getFlags().contains("$Label1")).isTrue();
            assertThat(work.search(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true))).hasSize(1);
            assertThat(work.search(new SubjectTerm("zweite"))).extracting(Message::getMessageNumber).containsExactly(2);

            Folder trash = store.getFolder("Trash");
            ((IMAPFolder) work).moveMessages(new Message[] {work.getMessage(1)}, trash);
            // Angus keeps expunged messages in its cache until the folder is opened again.
            work.close(false);
            work.open(Folder.READ_WRITE);
            assertThat(work.getMessageCount()).isEqualTo(1);
            trash.open(Folder.READ_ONLY);
            assertThat(trash.getMessageCount()).isEqualTo(1);
            assertThat(trash.getMessage(1).getFlags().contains(Flags.Flag.FLAGGED)).isTrue();
            trash.close(false);

            work.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            assertThat(work.expunge()).hasSize(1);
            assertThat(work.getMessageCount()).isZero();
            assertThat(((UIDFolder) work).getUIDNext()).isEqualTo(3);
            work.close(true);

            assertThat(Arrays.stream(store.getDefaultFolder().list("*")).map(Folder::getFullName))
                    .contains("INBOX", "Angus", "Sent", "Drafts", "Trash", "Junk", "Archive");
        } finally {
            store.close();
        }
    }

    @Test
    void idleHearsOfDeliveries() throws Exception {
        Store store = imaps("alice@example.test", "secret");
        try {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            int before = inbox.getMessageCount();
            CompletableFuture<Integer> added = new CompletableFuture<>();
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    added.complete(e.getMessages().length);
                }
            });
            Thread idler = new Thread(() -> {
                try {
                    inbox.idle(true);
                } catch (Exception e) {
                    added.completeExceptionally(e);
                }
            });
            idler.start();
            // Deliver until the idler has seen one: the first may land before IDLE is entered (then NOOP-free idle ends at DONE).
            for (int i = 0; i < 50 && !added.isDone(); i++) {
                server.alice().deliver("INBOX", new ByteArrayInputStream(
                        "Subject: ping\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII)));
                try {
                    added.get(200, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // deliver again
                }
            }
            assertThat(added.get(10, TimeUnit.SECONDS)).isPositive();
            idler.join(10_000);
            assertThat(inbox.getMessageCount()).isGreaterThan(before);
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    void startTlsThenLogin() throws Exception {
        Properties p = new Properties();
        p.put("mail.imap.starttls.enable", "true");
        p.put("mail.imap.starttls.required", "true");
        p.put("mail.imap.ssl.trust", "*");
        p.put("mail.imap.ssl.checkserveridentity", "false");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", server.port("imap-strict"), "bob@example.test", "hunter2");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isZero();
            inbox.close(false);
        } finally {
            store.close();
        }
    }
}
