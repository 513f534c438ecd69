package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSetSpec;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import java.util.Locale;

/** The three purposes of the WSO2 split. */
public enum SlotName {
    PRIMARY, TLS, INTERNAL;

    /** "primary", "tls", "internal": the YAML field and the default alias. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public SlotSpec of(KeystoreSetSpec spec) {
        return switch (this) {
            case PRIMARY -> spec.primary;
            case TLS -> spec.tls;
            case INTERNAL -> spec.internal;
        };
    }
}
