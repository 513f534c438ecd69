package dev.keystore.operator.crypto;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a CA brought in (a CA Secret, another set's CA) must be for us to sign with it: a key of a
 * type we accept ({@link KeyType#supported}) and no SHA-1 or MD5 signature on its certificate or
 * on an intermediate above it. A self-signed root's own signature is not checked by anyone and
 * may be SHA-1, unless it is the CA we sign with.
 */
public final class SigningCa {
    private SigningCa() {
    }

    /** Why we will not sign with this CA, completing "the CA certificate ...", if we will not. */
    public static Optional<String> refusal(List<X509Certificate> chain) {
        X509Certificate ca = chain.get(0);
        if (KeyType.supported(ca.getPublicKey()).isEmpty()) {
            return Optional.of("has a " + KeyType.found(ca.getPublicKey()) + " key; a CA we sign with must have "
                + KeyType.ACCEPTED);
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            boolean root = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            if ((i == 0 || !root) && weakSignature(c.getSigAlgName())) {
                return Optional.of((i == 0 ? "is" : "has an intermediate, " + c.getSubjectX500Principal().getName() + ",")
                    + " signed with " + c.getSigAlgName() + "; a CA we sign with must be signed with SHA-256 or stronger"
                    + " (re-issue it)");
            }
        }
        return Optional.empty();
    }

    /** SHA-1, MD5 and MD2 signatures, which collisions make forgeable. */
    public static boolean weakSignature(String sigAlgName) {
        String name = sigAlgName.toUpperCase(Locale.ROOT);
        return name.startsWith("SHA1") || name.startsWith("SHA-1") || name.startsWith("MD5") || name.startsWith("MD2");
    }
}
