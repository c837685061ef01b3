package mailserver.core.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate used when the config names none: RSA 2048 (every client can use it), SAN
 * dNSName = the server's hostname, valid ten years, stored as {@code fullchain.pem} and
 * {@code key.pem} so a restart keeps the same certificate (clients that pinned it stay happy).
 */
final class SelfSignedCertificate {

    static final String CERTIFICATE_FILE = "fullchain.pem";
    static final String KEY_FILE = "key.pem";

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** Regenerate a little before expiry rather than serve an expired certificate. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final int SAN_DNS_NAME = 2;

    private SelfSignedCertificate() {
    }

    /** The files for {@code hostname} in {@code dir}: the existing ones if they fit, else new ones. */
    static CertificateFiles ensure(Path dir, String hostname) throws TlsException {
        CertificateFiles files = new CertificateFiles(dir.resolve(CERTIFICATE_FILE), dir.resolve(KEY_FILE));
        if (!reusable(files, hostname)) {
            generate(files, hostname);
        }
        LOG.warn("TLS uses a self-signed certificate for {} ({}); clients will not trust it."
                + " Set tls.certificate and tls.private-key to a real certificate", hostname, files.certificate());
        return files;
    }

    private static boolean reusable(CertificateFiles files, String hostname) {
        if (!Files.exists(files.certificate()) || !Files.exists(files.privateKey())) {
            return false;
        }
        try {
            X509Certificate leaf = PemFiles.load(files).leaf();
            if (!dnsNames(leaf).contains(hostname)) {
                LOG.info("the generated certificate in {} is for {}, not {}; generating a new one",
                        files.certificate(), dnsNames(leaf), hostname);
                return false;
            }
            if (leaf.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
                LOG.info("the generated certificate in {} expires {}; generating a new one",
                        files.certificate(), leaf.getNotAfter().toInstant());
                return false;
            }
            return true;
        } catch (TlsException | CertificateParsingException e) {
            LOG.info("the generated certificate in {} cannot be reused ({}); generating a new one",
                    files.certificate(), e.getMessage());
            return false;
        }
    }

    static List<String> dnsNames(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return List.of();
        }
        return names.stream()
                .filter(name -> Integer.valueOf(SAN_DNS_NAME).equals(name.get(0)))
                .map(name -> (String) name.get(1))
                .toList();
    }

    private static void generate(CertificateFiles files, String hostname) throws TlsException {
        X509Certificate certificate;
        KeyPair keyPair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
            certificate = sign(hostname, keyPair);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new TlsException("cannot generate a self-signed certificate for " + hostname + ": " + e.getMessage(), e);
        }
        Path dir = files.certificate().getParent();
        try {
            Files.createDirectories(dir);
            // The key first: a certificate without its key is never left behind as "reusable".
            writeAtomically(files.privateKey(), new JcaPKCS8Generator(keyPair.getPrivate(), null));
            writeAtomically(files.certificate(), certificate);
        } catch (IOException e) {
            throw new TlsException("cannot write the self-signed certificate into " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("generated a self-signed certificate for {} in {}", hostname, files.certificate());
    }

    private static X509Certificate sign(String hostname, KeyPair keyPair)
            throws IOException, OperatorCreationException, GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
    }

    /** Writes into a 0600 temporary file and renames it, so no reader sees half a file or a readable key. */
    private static void writeAtomically(Path target, Object pemObject) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII);
                 JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(pemObject);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
