package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import java.util.Map;
import java.util.Optional;

/** Where a run reads what exists in the set's namespace: the API server, or the render inputs. */
public interface InputSource {
    /** The data of a Secret, decoded. */
    Optional<Map<String, byte[]>> secret(String name);

    Optional<KeystoreSet> keystoreSet(String name);

    /** The data of a ConfigMap (data and binaryData as bytes). */
    Optional<Map<String, byte[]>> configMap(String name);

    Optional<TrustBundle> trustBundle(String name);

    /**
     * A set's record of a role with the name it has. A source that can find records by the set they
     * belong to (labels) does so, whatever secretName is now; by default it is read by its first name.
     */
    default Optional<Named> record(String setName, String secretName, RecordRole role) throws Problem.Raised {
        String name = role.firstName(secretName);
        return secret(name).map(data -> new Named(name, data));
    }

    /** Secret data and the Secret's name. */
    record Named(String name, Map<String, byte[]> data) {
    }
}
