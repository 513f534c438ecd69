package dev.keystore.operator.keystore;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle JCE provider of this package (not installed in the JVM), made on first use:
 * only a Legacy PKCS12 and the bounds check of an encrypted PKCS12 part need it. Constructing it
 * registers every Bouncy Castle algorithm and computes its EC curve tables (some 600 classes, about
 * half a second in a cold JVM), which a render or a reconcile of JKS and Modern PKCS12 stores never
 * uses.
 */
final class BouncyCastle {
    private BouncyCastle() {
    }

    static Provider provider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
