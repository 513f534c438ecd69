package dev.keystore.operator.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/** The one PEM reader and writer: certificates, and private keys as PKCS#1, PKCS#8 or SEC1. */
public final class Pem {
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

    /** Every certificate in the text, in order; empty when it holds none (a key file). */
    public static List<X509Certificate> certificatesIn(byte[] pem) throws PemException {
        List<X509Certificate> result = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    result.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PemException("is not readable PEM (" + e.getClass().getSimpleName() + ")");
        }
        return result;
    }

    /** The first private key in the text. The message of a failure never contains key material. */
    public static PrivateKey privateKey(byte[] pem) throws PemException {
        return privateKeyIn(pem).orElseThrow(() -> new PemException("holds no PEM private key (PKCS#1, PKCS#8 or SEC1)"));
    }

    /** The first unencrypted private key in the text, if any; a failure's message never contains key material. */
    public static Optional<PrivateKey> privateKeyIn(byte[] pem) throws PemException {
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
        } catch (IOException | RuntimeException e) {
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
