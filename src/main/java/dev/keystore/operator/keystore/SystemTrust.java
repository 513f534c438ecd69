package dev.keystore.operator.keystore;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The JDK's default trusted CA certificates (its cacerts), in a stable order. */
public final class SystemTrust {
    private SystemTrust() {
    }

    public static List<X509Certificate> certificates() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast).flatMap(tm -> Arrays.stream(tm.getAcceptedIssuers()))
                .sorted(Comparator.comparing(c -> c.getSubjectX500Principal().getName())).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK's CA certificates", e);
        }
    }
}
