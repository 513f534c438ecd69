package dev.keystore.operator.dependent;

/** A TrustBundle's target Secret: truststore.p12, truststore.jks, ca-bundle.pem, password. */
public final class TrustBundleSecret extends ManagedSecret {
    // Opaque and owned by its resource: the defaults
}
