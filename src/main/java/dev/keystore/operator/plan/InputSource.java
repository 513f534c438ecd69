package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a run reads what exists in the set's namespace: the API server, or the render inputs. */
public interface InputSource {
    /** The data of a Secret, decoded. */
    Optional<Map<String, byte[]>> secret(String name);

    Optional<KeystoreSet> keystoreSet(String name);

    /** The certificates a TrustBundle holds; a problem when it is missing or not ready. */
    List<X509Certificate> trustBundle(String name) throws Problem.Raised;
}
