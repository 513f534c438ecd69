package dev.keystore.operator.dependent;

/**
 * {@code <secretName>-ca}: the set's self-signed CA (tls.crt, tls.key), which other sets may sign
 * with; for an issuer the set does not own, only the certificates it follows (Opaque, no key).
 */
public final class CaSecret extends ManagedSecret {
    private final boolean holdsCa;

    public CaSecret(boolean holdsCa) {
        this.holdsCa = holdsCa;
    }

    @Override
    protected String type() {
        return holdsCa ? "kubernetes.io/tls" : "Opaque";
    }

    @Override
    protected boolean owned() {
        return true;
    }
}
