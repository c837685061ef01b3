package mailserver.core.tls;

import java.nio.file.Path;

/** Keys and certificates made by the openssl CLI, in every PEM flavour the server must read. */
final class PemFixtures {

    final Path dir;

    private PemFixtures(Path dir) {
        this.dir = dir;
    }

    /** Generates the fixtures into {@code dir}; call {@link OpenSsl#assumeAvailable()} first. */
    static PemFixtures generate(Path dir) {
        PemFixtures fixtures = new PemFixtures(dir);
        OpenSsl.run(dir, "genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        OpenSsl.run(dir, "pkey", "-in", "rsa-pkcs1.key", "-out", "rsa-pkcs8.key");
        fixtures.selfSigned("rsa-pkcs1.key", "rsa.crt", "mail.example.com");
        OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-with-params.key");
        OpenSsl.run(dir, "ec", "-in", "ec-with-params.key", "-out", "ec-sec1.key");
        OpenSsl.run(dir, "pkey", "-in", "ec-with-params.key", "-out", "ec-pkcs8.key");
        fixtures.selfSigned("ec-sec1.key", "ec.crt", "mail.example.com");
        OpenSsl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.key");
        OpenSsl.run(dir, "pkey", "-in", "rsa-pkcs1.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted-pkcs8.key");
        OpenSsl.run(dir, "rsa", "-in", "rsa-pkcs1.key", "-aes128", "-passout", "pass:secret", "-traditional",
                "-out", "encrypted-pkcs1.key");
        return fixtures;
    }

    /** A certificate for {@code hostname} (CN and SAN) signed by its own key. */
    Path selfSigned(String key, String certificate, String hostname) {
        OpenSsl.run(dir, "req", "-x509", "-new", "-key", key, "-subj", "/CN=" + hostname,
                "-addext", "subjectAltName=DNS:" + hostname, "-days", "30", "-out", certificate);
        return dir.resolve(certificate);
    }

    /** Writes a CA, and a leaf certificate for {@code key} signed by it; returns the CA's file. */
    Path caSigned(String key, String certificate, String hostname) {
        OpenSsl.run(dir, "req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                "-subj", "/CN=Test CA", "-days", "30", "-out", "ca.crt");
        OpenSsl.run(dir, "req", "-new", "-key", key, "-subj", "/CN=" + hostname, "-out", "leaf.csr");
        OpenSsl.run(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "30", "-out", certificate);
        return dir.resolve("ca.crt");
    }

    CertificateFiles files(String certificate, String key) {
        return new CertificateFiles(dir.resolve(certificate), dir.resolve(key));
    }
}
