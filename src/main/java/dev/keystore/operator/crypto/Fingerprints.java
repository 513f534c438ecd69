package dev.keystore.operator.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

public final class Fingerprints {
    private Fingerprints() {
    }

    /** SHA-256 of the DER certificate, as keytool prints it: "AB:CD:...". */
    public static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    /** The certificates in their order, each once: the same certificate is the same SHA-256 fingerprint. */
    public static List<X509Certificate> distinct(Collection<X509Certificate> certificates) {
        Set<String> seen = new HashSet<>();
        List<X509Certificate> distinct = new ArrayList<>();
        for (X509Certificate c : certificates) {
            if (seen.add(sha256(c))) {
                distinct.add(c);
            }
        }
        return distinct;
    }
}
