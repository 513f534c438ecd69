package dev.keystore.operator.plan;

/** What a run did to a slot: the explicit states of renewal (after Strimzi's CA model). */
public enum SlotAction {
    /** Key and certificate kept as they were. */
    KEPT,
    /** First key pair and certificate. */
    ISSUED,
    /** New certificate for the same key pair. */
    RENEWED,
    /** New key pair and certificate. */
    ROTATED,
    /** Key and chain taken from the slot's import. */
    IMPORTED;

    /** Whether the operator signed a new certificate in this run. */
    public boolean madeCertificate() {
        return this == ISSUED || this == RENEWED || this == ROTATED;
    }
}
