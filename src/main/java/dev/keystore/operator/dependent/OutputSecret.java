package dev.keystore.operator.dependent;

/** {@code <secretName>}: the keystores, truststore, PEM files and snippets the workload mounts. */
public final class OutputSecret extends ManagedSecret {
    @Override
    protected String type() {
        return "Opaque";
    }

    @Override
    protected boolean owned() {
        return true;
    }
}
