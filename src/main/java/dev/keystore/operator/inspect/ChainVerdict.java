package dev.keystore.operator.inspect;

import static dev.keystore.operator.crypto.CertificateChain.issues;
import static dev.keystore.operator.crypto.CertificateChain.selfSigned;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a key's chain is what a TLS peer or WSO2 needs: leaf first, each certificate followed by
 * its issuer, every intermediate present, ending at a root (seed 003); and whether it leads to a
 * certificate trusted in the store or in a truststore inspected with it.
 *
 * @param detail what is wrong, naming certificates by subject; null when complete
 * @param trustedBy where the trusted certificate it leads to was found; null when it leads to none
 */
record ChainVerdict(Status status, String detail, String trustedBy) {
    enum Status {
        COMPLETE("complete"), NO_ROOT("no root"), INCOMPLETE("incomplete"), OUT_OF_ORDER("out of order");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    /**
     * @param anchors trusted certificates: the store's own trusted entries, the truststores inspected with it
     * @param known every other certificate seen, to name a missing issuer
     */
    static ChainVerdict of(List<X509Certificate> chain, List<Anchor> anchors, List<X509Certificate> known) {
        String trustedBy = trustedBy(chain, anchors);
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate child = chain.get(i);
            if (!issues(chain.get(i + 1), child)) {
                int at = i;
                boolean elsewhere = java.util.stream.IntStream.range(0, chain.size())
                    .anyMatch(j -> j != at && j != at + 1 && issues(chain.get(j), child));
                if (elsewhere || selfSigned(child)) {
                    return new ChainVerdict(Status.OUT_OF_ORDER, "certificate " + (i + 2) + " " + subject(chain.get(i + 1))
                        + " does not issue certificate " + (i + 1) + " " + subject(child), trustedBy);
                }
                return new ChainVerdict(Status.INCOMPLETE, "the issuer " + issuer(child) + " of " + subject(child)
                    + " is missing", trustedBy);
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (selfSigned(last)) {
            return new ChainVerdict(Status.COMPLETE, null, trustedBy);
        }
        Optional<Anchor> issuer = Stream.concat(anchors.stream(), known.stream().map(c -> new Anchor(c, null)))
            .filter(a -> issues(a.certificate(), last)).findFirst();
        if (issuer.isPresent() && selfSigned(issuer.get().certificate())) {
            return new ChainVerdict(Status.NO_ROOT, "the chain ends at " + subject(last) + " without its root "
                + subject(issuer.get().certificate()), trustedBy);
        }
        return new ChainVerdict(Status.INCOMPLETE, "the issuer " + issuer(last) + " of " + subject(last)
            + " is missing", trustedBy);
    }

    /** Where a certificate of the chain, or the issuer of its last one, is trusted. */
    private static String trustedBy(List<X509Certificate> chain, List<Anchor> anchors) {
        for (X509Certificate certificate : chain) {
            for (Anchor anchor : anchors) {
                if (same(anchor.certificate(), certificate)) {
                    return anchor.where();
                }
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        return anchors.stream().filter(a -> issues(a.certificate(), last)).map(Anchor::where).findFirst().orElse(null);
    }

    private static boolean same(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }

    static String subject(X509Certificate certificate) {
        return "\"" + certificate.getSubjectX500Principal() + "\"";
    }

    private static String issuer(X509Certificate certificate) {
        return "\"" + certificate.getIssuerX500Principal() + "\"";
    }
}
