package dev.keystore.operator.inspect;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An entry read from a store or a PEM file, before it is judged: certificates and the key's type
 * and size, never the key.
 *
 * @param alias null for a PEM file's key or chain (the file is its name)
 * @param keyOpens whether the store password opens the key; null when not a key in a store
 * @param verdict the chain's verdict, for entries that carry a chain
 */
record Entry(String alias, Kind kind, List<X509Certificate> chain, Boolean keyOpens, String keyAlgorithm, int keySize,
             ChainVerdict verdict) {
    enum Kind {
        PRIVATE_KEY("PrivateKeyEntry"), TRUSTED_CERTIFICATE("trustedCertEntry"), SECRET_KEY("SecretKeyEntry"),
        PEM_KEY("private key"), PEM_CHAIN("certificate chain");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    Entry {
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.isEmpty() ? null : chain.get(0);
    }

    /** Holds a private key (a truststore must not). */
    boolean hasPrivateKey() {
        return kind == Kind.PRIVATE_KEY || kind == Kind.PEM_KEY;
    }

    Entry withVerdict(ChainVerdict verdict) {
        return new Entry(alias, kind, chain, keyOpens, keyAlgorithm, keySize, verdict);
    }
}
