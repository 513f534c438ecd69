package dev.keystore.operator.dependent;

/** {@code <secretName>}: the keystores, truststore, PEM files and snippets the workload mounts. */
public final class OutputSecret extends ManagedSecret {
    // Opaque and owned by its resource: the defaults
}
