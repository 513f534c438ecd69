package dev.keystore.operator.dependent;

/** {@code <secretName>-ca}: the set's self-signed CA (tls.crt, tls.key), which other sets may sign with. */
public final class CaSecret extends ManagedSecret {
    @Override
    protected String type() {
        return "kubernetes.io/tls";
    }

    @Override
    protected boolean owned() {
        return true;
    }
}
