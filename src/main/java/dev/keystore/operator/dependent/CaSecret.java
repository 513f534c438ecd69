package dev.keystore.operator.dependent;

import dev.keystore.operator.plan.RecordRole;

/**
 * {@code <secretName>-ca}: the set's self-signed CA (tls.crt, tls.key), which other sets may sign
 * with; for an issuer the set does not own, only the certificates it follows (Opaque, no key).
 * A record like {@code -internal}: deleting and re-creating the set keeps its CA and every client's trust.
 */
public final class CaSecret extends RecordSecret {
    private final boolean holdsCa;

    public CaSecret(boolean holdsCa) {
        super(RecordRole.CA);
        this.holdsCa = holdsCa;
    }

    @Override
    protected String type() {
        return holdsCa ? "kubernetes.io/tls" : "Opaque";
    }
}
