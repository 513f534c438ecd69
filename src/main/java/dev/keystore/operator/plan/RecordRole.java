package dev.keystore.operator.plan;

/**
 * The records a set keeps beside its output Secret. A record is found by the set it belongs to and
 * its role (labels), never by a name the user can change; it is created once under
 * {@link #firstName} of the secretName of that time and keeps that name.
 */
public enum RecordRole {
    /** The keys with a stability promise and the store password: {@code <secretName>-internal}. */
    INTERNAL("internal"),
    /** The set's own CA (or the issuer it follows): {@code <secretName>-ca}. */
    CA("ca");

    private final String label;

    RecordRole(String label) {
        this.label = label;
    }

    /** The value of the role label. */
    public String label() {
        return label;
    }

    /** The name a new record gets: {@code <secretName>-internal} or {@code <secretName>-ca}. */
    public String firstName(String secretName) {
        return secretName + "-" + label;
    }
}
