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
}
