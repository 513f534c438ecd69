package dev.keystore.operator.dependent;

import dev.keystore.operator.plan.RecordRole;

/** {@code <secretName>-internal}: the key pairs that must never change (see {@link RecordSecret}). */
public final class InternalKeySecret extends RecordSecret {
    public InternalKeySecret() {
        super(RecordRole.INTERNAL);
    }

    @Override
    protected String type() {
        return "Opaque";
    }
}
