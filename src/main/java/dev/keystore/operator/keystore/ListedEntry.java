package dev.keystore.operator.keystore;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One keystore entry as a listing shows it: its certificates (the chain, leaf first, for a key;
 * the certificate for a trusted entry) and whether the store password opens its key. Never the key.
 */
public record ListedEntry(String alias, Kind kind, List<X509Certificate> chain, boolean keyOpensWithStorePassword) {
    public ListedEntry {
        chain = List.copyOf(chain);
    }

    public enum Kind {
        PRIVATE_KEY, SECRET_KEY, TRUSTED_CERTIFICATE
    }
}
