package mailserver.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and a PEM private key: PKCS#1 RSA, PKCS#8, and SEC1 EC keys
 * (an EC PARAMETERS block before the key is skipped). Keys are converted with the JDK's own
 * providers, so the TLS stack can use them without BouncyCastle registered.
 */
final class PemFiles {

    /** A chain plus key is a few kilobytes; anything this big is the wrong file. */
    static final long MAX_FILE_SIZE = 1024 * 1024;
    /** Real chains have 2-4 certificates; bundles with a whole CA store are refused. */
    static final int MAX_OBJECTS = 32;

    private PemFiles() {
    }

    static CertifiedKey load(CertificateFiles files) throws TlsException {
        List<X509Certificate> chain = readCertificates(files.certificate());
        PrivateKey key = readPrivateKey(files.privateKey());
        requireMatch(chain.get(0), key, files);
        return new CertifiedKey(chain, key);
    }

    static List<X509Certificate> readCertificates(Path file) throws TlsException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        for (Object object : readObjects(file, "certificate")) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException("certificate file " + file + " holds a certificate the JDK cannot read: "
                            + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsException("no certificate found in " + file
                    + " (expected a PEM block \"BEGIN CERTIFICATE\")");
        }
        return chain;
    }

    static PrivateKey readPrivateKey(Path file) throws TlsException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKey found = null;
        for (Object object : readObjects(file, "private key")) {
            PrivateKey key;
            try {
                if (object instanceof PEMKeyPair pair) {
                    key = converter.getKeyPair(pair).getPrivate();
                } else if (object instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsException("the private key in " + file + " is encrypted; the server cannot ask for"
                            + " a passphrase, store it unencrypted and readable only by the server's user"
                            + " (e.g. openssl pkey -in KEY -out " + file + ")");
                } else {
                    // EC PARAMETERS blocks (ASN1ObjectIdentifier) and certificates in a combined file.
                    continue;
                }
            } catch (IOException e) {
                throw new TlsException("the private key in " + file + " cannot be used: " + e.getMessage(), e);
            }
            if (found != null) {
                throw new TlsException(file + " holds more than one private key; keep only the one for the certificate");
            }
            found = key;
        }
        if (found == null) {
            throw new TlsException("no private key found in " + file
                    + " (expected a PEM block \"BEGIN PRIVATE KEY\", \"BEGIN RSA PRIVATE KEY\" or \"BEGIN EC PRIVATE KEY\")");
        }
        return found;
    }

    private static List<Object> readObjects(Path file, String what) throws TlsException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new TlsException(what + " file " + file + " is " + size + " bytes; more than "
                        + MAX_FILE_SIZE + " is not a certificate or key file");
            }
            // Latin-1 maps every byte, so a binary (DER) file gives "nothing found", not a charset error.
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                 PEMParser parser = new PEMParser(reader)) {
                List<Object> objects = new ArrayList<>();
                for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                    if (objects.size() == MAX_OBJECTS) {
                        throw new TlsException(what + " file " + file + " holds more than " + MAX_OBJECTS + " PEM blocks");
                    }
                    objects.add(object);
                }
                return objects;
            }
        } catch (NoSuchFileException e) {
            throw new TlsException("cannot read " + what + " file " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TlsException("cannot read " + what + " file " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new TlsException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static void requireMatch(X509Certificate leaf, PrivateKey key, CertificateFiles files) throws TlsException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsException("the private key in " + files.privateKey() + " is of type "
                    + key.getAlgorithm() + "; only RSA and EC keys are supported");
        };
        if (!key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())) {
            throw mismatch(files);
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw mismatch(files);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsException("the private key in " + files.privateKey() + " does not match the certificate in "
                    + files.certificate() + ": " + e.getMessage(), e);
        }
    }

    private static TlsException mismatch(CertificateFiles files) {
        return new TlsException("the private key in " + files.privateKey()
                + " does not match the certificate in " + files.certificate()
                + " (the first certificate in the file must be the server's own)");
    }
}
