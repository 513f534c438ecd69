package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.Signer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** When a certificate was issued and when it is due for renewal: shared by leaves and CAs. */
final class Lifetime {
    private Lifetime() {
    }

    /**
     * notAfter - renewBefore; when the CA cut the lifetime short so that this falls in the first
     * third of it, two thirds into the lifetime instead, so a short certificate is not renewed in a loop.
     */
    static Instant renewalTime(X509Certificate cert, Duration renewBefore) {
        Instant notBefore = issuedAt(cert);
        Instant notAfter = cert.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        Instant byPolicy = notAfter.minus(renewBefore);
        Instant earliest = notBefore.plus(lifetime.dividedBy(3));
        return byPolicy.isBefore(earliest) ? notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)) : byPolicy;
    }

    /** When a certificate was issued: notBefore without the backdating, which would skew short lifetimes. */
    static Instant issuedAt(X509Certificate cert) {
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant issued = notBefore.plus(Signer.BACKDATE);
        return issued.isBefore(notAfter) ? issued : notBefore;
    }
}
