package dev.keystore.operator.keystore;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/** One entry of a keystore: a private key with its chain, or a trusted certificate. */
public sealed interface StoreEntry {
    String alias();

    /** Same alias, same key bytes, same certificate bytes. */
    boolean sameAs(StoreEntry other);

    record KeyEntry(String alias, PrivateKey key, List<X509Certificate> chain) implements StoreEntry {
        public KeyEntry {
            chain = List.copyOf(chain);
        }

        @Override
        public boolean sameAs(StoreEntry other) {
            return other instanceof KeyEntry k && alias.equalsIgnoreCase(k.alias)
                && Arrays.equals(key.getEncoded(), k.key.getEncoded()) && sameCertificates(chain, k.chain);
        }
    }

    record TrustedEntry(String alias, X509Certificate certificate) implements StoreEntry {
        @Override
        public boolean sameAs(StoreEntry other) {
            return other instanceof TrustedEntry t && alias.equalsIgnoreCase(t.alias)
                && sameCertificates(List.of(certificate), List.of(t.certificate));
        }
    }

    /** Same certificates, same order, byte for byte. */
    static boolean sameCertificates(List<X509Certificate> a, List<X509Certificate> b) {
        if (a.size() != b.size()) {
            return false;
        }
        try {
            for (int i = 0; i < a.size(); i++) {
                if (!Arrays.equals(a.get(i).getEncoded(), b.get(i).getEncoded())) {
                    return false;
                }
            }
            return true;
        } catch (CertificateEncodingException e) {
            return false;
        }
    }
}
