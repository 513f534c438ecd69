package dev.keystore.operator.crypto;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A CA that can sign: its key, and its chain from its own certificate up to the root. */
public record CertificateAuthority(PrivateKey key, List<X509Certificate> chain) {
    public CertificateAuthority {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }
}
