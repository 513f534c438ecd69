package dev.keystore.operator.dependent;

import java.util.Map;

/**
 * {@code <secretName>-internal}: the key pair that must never change. No owner reference and Helm's
 * keep policy, so it outlives the output Secret, the KeystoreSet and a Helm uninstall.
 */
public final class InternalKeySecret extends ManagedSecret {
    @Override
    protected String type() {
        return "Opaque";
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
        return dev.keystore.operator.plan.RecordRole.INTERNAL.label();
    }
}
