package dev.keystore.operator.dependent;

import java.util.Map;

/**
 * {@code <secretName>-ca}: the set's self-signed CA (tls.crt, tls.key), which other sets may sign
 * with; for an issuer the set does not own, only the certificates it follows (Opaque, no key).
 * Like the internal key record it has no owner and Helm's keep policy: deleting and re-creating
 * the set keeps its CA and every client's trust.
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
        return false;
    }

    @Override
    protected Map<String, String> annotations() {
        return Map.of("helm.sh/resource-policy", "keep");
    }

    @Override
    protected String role() {
        return dev.keystore.operator.plan.RecordRole.CA.label();
    }
}
