package dev.keystore.operator.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** The one PEM reader and writer: certificates, and private keys as PKCS#1, PKCS#8 or SEC1. */
public final class Pem {
    private static final Set<String> CERTIFICATE_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE");

    private Pem() {
    }

    /** Every certificate in the text, in order. Fails on text holding none. */
    public static List<X509Certificate> certificates(byte[] pem) throws PemException {
        List<X509Certificate> result = certificatesIn(pem);
        if (result.isEmpty()) {
            throw new PemException("holds no PEM certificate");
        }
        return result;
    }

    /**
     * Every certificate in the text, in order; empty when it holds none (a key file). Certificates
     * are decoded by the JDK's CertificateFactory, and only after their nesting is bounded.
     */
    public static List<X509Certificate> certificatesIn(byte[] pem) throws PemException {
        List<X509Certificate> result = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemObject object : blocks(pem)) {
                if (CERTIFICATE_TYPES.contains(object.getType())) {
                    if (!isDer(object.getContent())) {
                        throw new PemException("is not readable PEM (a CERTIFICATE block does not hold DER)");
                    }
                    result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(object.getContent())));
                }
            }
        } catch (CertificateException | RuntimeException | StackOverflowError e) {
            throw new PemException("is not readable PEM (" + e.getClass().getSimpleName() + ")");
        }
        return result;
    }

    /** One DER certificate, bounded as a PEM one. */
    public static X509Certificate certificate(byte[] der) throws PemException {
        if (!isDer(der)) {
            throw new PemException("is not a DER certificate");
        }
        if (!Asn1Nesting.withinBound(der)) {
            throw new PemException("is not a readable certificate (nested deeper than " + Asn1Nesting.MAX_DEPTH + " levels)");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException | StackOverflowError e) {
            throw new PemException("is not a readable certificate (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Whether bytes start as a DER SEQUENCE: the JDK's CertificateFactory also decodes PEM text
     * given where DER is expected, which would pass it bytes nobody measured.
     */
    public static boolean isDer(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0x30;
    }

    /**
     * The PEM blocks of the text, undecoded beyond base64, each checked for nesting depth before
     * any ASN.1 parser sees it.
     */
    private static List<PemObject> blocks(byte[] pem) throws PemException {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
            PemObject object;
            while ((object = reader.readPemObject()) != null) {
                if (!Asn1Nesting.withinBound(object.getContent())) {
                    throw new PemException("is not readable PEM (a block nests deeper than " + Asn1Nesting.MAX_DEPTH
                        + " levels)");
                }
                blocks.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException("is not readable PEM (" + e.getClass().getSimpleName() + ")");
        }
        return blocks;
    }

    /** The first private key in the text. The message of a failure never contains key material. */
    public static PrivateKey privateKey(byte[] pem) throws PemException {
        return privateKeyIn(pem).orElseThrow(() -> new PemException("holds no PEM private key (PKCS#1, PKCS#8 or SEC1)"));
    }

    /** The first unencrypted private key in the text, if any; a failure's message never contains key material. */
    public static Optional<PrivateKey> privateKeyIn(byte[] pem) throws PemException {
        blocks(pem); // bounds the nesting before Bouncy Castle parses the key
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
            Object object;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    // only the private part: SEC1 may omit the public key (RFC 5915, openssl ec -no_public)
                    return Optional.of(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (object instanceof PrivateKeyInfo info) {
                    return Optional.of(converter.getPrivateKey(info));
                }
                if (object instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo
                    || object instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair) {
                    throw new PemException("holds an encrypted private key, which has no password here: store it"
                        + " unencrypted (openssl pkey -in key.pem -out key-plain.pem)");
                }
            }
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new PemException("is not a readable PEM private key (" + e.getClass().getSimpleName() + ")");
        }
        return Optional.empty();
    }

    public static String encode(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
        return out.toString();
    }

    /** PKCS#8, unencrypted: what tls.key holds in a kubernetes.io/tls Secret. */
    public static String encode(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            PemObject object = new JcaPKCS8Generator(key, null).generate();
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key");
        }
        return out.toString();
    }

    /** Why a PEM input was refused; the message completes a sentence naming the Secret key. */
    public static final class PemException extends Exception {
        public PemException(String message) {
            super(message);
        }
    }
}
