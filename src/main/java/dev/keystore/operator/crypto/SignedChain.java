package dev.keystore.operator.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A certificate chain that came back from a CA we cannot reach (leaf first, then its chain): it must
 * verify up to its last certificate (the JDK's PKIX validator, with that certificate as the anchor)
 * and give the leaf what the request asked for.
 */
public final class SignedChain {
    private SignedChain() {
    }

    /** Why the chain does not verify at {@code now}, or empty when it does. */
    public static Optional<String> problem(List<X509Certificate> chain, Instant now) {
        if (chain.size() < 2) {
            return Optional.of("holds only the leaf: append the CA certificates up to the root, leaf first");
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (last.getBasicConstraints() < 0) {
            return Optional.of("ends with " + last.getSubjectX500Principal().getName() + ", which is not a CA certificate");
        }
        for (X509Certificate c : chain) {
            if (now.isBefore(c.getNotBefore().toInstant()) || !now.isBefore(c.getNotAfter().toInstant())) {
                return Optional.of("holds " + c.getSubjectX500Principal().getName() + ", valid only from "
                    + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant());
            }
        }
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            try {
                last.verify(last.getPublicKey());
            } catch (GeneralSecurityException e) {
                return Optional.of("ends with a self-signed certificate whose signature does not verify");
            }
        }
        try {
            var path = CertificateFactory.getInstance("X.509").generateCertPath(new ArrayList<>(chain.subList(0,
                chain.size() - 1)));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(last, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(path, params);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            int at = e.getIndex();
            String where = at >= 0 && at < chain.size() ? " at " + chain.get(at).getSubjectX500Principal().getName() : "";
            return Optional.of("does not verify up to its last certificate" + where + " (" + e.getReason() + ")");
        } catch (GeneralSecurityException e) {
            return Optional.of("does not verify up to its last certificate (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * What the leaf lacks of what was asked: the same subject and alternative names, at least the
     * requested key usages and extended key usages; empty when it has all of it.
     */
    public static Optional<String> mismatch(X509Certificate leaf, CertificateProfile asked) {
        CertificateProfile got = CertificateProfile.of(leaf);
        if (!X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()).equals(asked.subject())) {
            return Optional.of("has the subject " + leaf.getSubjectX500Principal().getName() + ", not the requested "
                + asked.subject());
        }
        if (!got.dnsNames().equals(asked.dnsNames()) || !got.ipAddresses().equals(asked.ipAddresses())
            || !got.uris().equals(asked.uris()) || !got.emailAddresses().equals(asked.emailAddresses())) {
            return Optional.of("has other subject alternative names than requested (DNS " + got.sortedDnsNames()
                + ", IP " + got.ipAddresses() + "; requested DNS " + asked.sortedDnsNames() + ", IP " + asked.ipAddresses() + ")");
        }
        if ((got.keyUsage() & asked.keyUsage()) != asked.keyUsage()) {
            return Optional.of("lacks requested key usages (keyUsage extension missing or narrower than the CSR's)");
        }
        if (!got.extendedKeyUsage().containsAll(asked.extendedKeyUsage())) {
            return Optional.of("lacks requested extended key usages " + asked.extendedKeyUsage().stream()
                .filter(o -> !got.extendedKeyUsage().contains(o)).toList());
        }
        if (got.ca()) {
            return Optional.of("is a CA certificate (basicConstraints CA:true); a slot needs an end-entity certificate");
        }
        return Optional.empty();
    }
}
