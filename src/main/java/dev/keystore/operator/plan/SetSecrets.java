package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import java.util.List;

/**
 * The Secrets of one set, in one place: the output Secret's name, the first names of its records,
 * and the set name that, with {@link RecordRole#label}, finds a record whatever its name.
 *
 * @param setName the KeystoreSet's name: the value of the set label on every Secret it writes
 * @param output  the output Secret (spec.secretName, default {@code <set>-keystores})
 */
public record SetSecrets(String setName, String output) {
    /** The default output name rule of api.md. */
    public static String defaultOutput(String setName) {
        return setName + "-keystores";
    }

    /** The Secrets of a set as the spec names them, before any validation (for indexes and watches). */
    public static SetSecrets of(KeystoreSet set) {
        String given = set.getSpec() == null ? null : set.getSpec().secretName;
        String name = set.getMetadata().getName();
        return new SetSecrets(name, given == null || given.isBlank() ? defaultOutput(name) : given);
    }

    /** The name a new record of {@code role} gets (a record found by its labels keeps the name it has). */
    public String record(RecordRole role) {
        return role.firstName(output);
    }

    /** The output Secret and the first names of both records. */
    public List<String> names() {
        return List.of(output, record(RecordRole.CA), record(RecordRole.INTERNAL));
    }
}
