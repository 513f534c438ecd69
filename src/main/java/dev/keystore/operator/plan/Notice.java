package dev.keystore.operator.plan;

/**
 * Something a run did or refused that is worth telling: the caller chooses the Event by {@link #kind},
 * never by the message text.
 */
public record Notice(Kind kind, String message) {
    public enum Kind {
        /** Keys, certificates or the CA changed (or their trust did). */
        KEY_MATERIAL,
        /** A set's first CA was made: part of a new set's first issuance. */
        NEW_CA,
        /** The key that never changes was taken over from, or by, another slot. */
        KEY_ADOPTED,
        /** A request was refused (e.g. a rotation of a key that must never change). */
        REFUSED
    }

    public static Notice keyMaterial(String message) {
        return new Notice(Kind.KEY_MATERIAL, message);
    }

    @Override
    public String toString() {
        return message;
    }
}
