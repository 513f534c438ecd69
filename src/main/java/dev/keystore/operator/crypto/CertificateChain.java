package dev.keystore.operator.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** The one check that a certificate issued another: names that link and a signature that verifies. */
public final class CertificateChain {
    private CertificateChain() {
    }

    /** Whether {@code issuer} signed {@code child}: child's issuer name is issuer's subject and the signature verifies. */
    public static boolean issues(X509Certificate issuer, X509Certificate child) {
        if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            // a foreign key or signature algorithm the provider cannot use is "not its issuer", never an escape
            return false;
        }
    }

    /** A root: it issued itself. */
    public static boolean selfSigned(X509Certificate certificate) {
        return issues(certificate, certificate);
    }
}
