package dev.keystore.operator.dependent;

import dev.keystore.operator.plan.RecordRole;
import java.util.Map;

/**
 * A record of a set's keys (the {@code -internal} and {@code -ca} Secrets): no owner reference and
 * Helm's keep policy, so it outlives the output Secret, the KeystoreSet and a Helm uninstall; found
 * by its role label, not by name.
 */
abstract class RecordSecret extends ManagedSecret {
    private final RecordRole role;

    RecordSecret(RecordRole role) {
        this.role = role;
    }

    @Override
    protected final boolean owned() {
        return false;
    }

    @Override
    protected final Map<String, String> annotations() {
        return Map.of("helm.sh/resource-policy", "keep");
    }

    @Override
    protected final String role() {
        return role.label();
    }
}
