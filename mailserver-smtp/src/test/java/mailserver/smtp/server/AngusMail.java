package mailserver.smtp.server;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Angus Mail (Jakarta Mail) set up as a real client of a test server on loopback. */
final class AngusMail {

    private AngusMail() {
    }

    /** Trusts the test server's self-signed certificate; generous timeouts for a busy machine. */
    static Properties properties(int port) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.localhost", "client.example");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.connectiontimeout", "20000");
        return p;
    }

    /** A UTF-8 text message with an 8-bit subject. */
    static MimeMessage message(Session session, String from, String to, String text) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject("Grüße über SMTP", "UTF-8");
        m.setText(text, "UTF-8");
        m.saveChanges();
        return m;
    }

    /** What the client sends, byte for byte, after dot-unstuffing. */
    static String wireForm(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8).replaceAll("\r?\n", "\r\n");
        return text.endsWith("\r\n") ? text : text + "\r\n";
    }
}
