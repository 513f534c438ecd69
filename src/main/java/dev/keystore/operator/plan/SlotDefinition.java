package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.api.v1alpha1.ImportSpec;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.keystore.Pkcs12Profile;
import dev.keystore.operator.keystore.StoreType;
import java.time.Duration;

/**
 * One slot with every default applied: what api.md says the slot means.
 *
 * @param importFrom        the slot's import, or null
 * @param explicitAlgorithm whether spec.&lt;slot&gt;.privateKey names an algorithm
 * @param explicitKeyType   whether it names an algorithm or a size (else keyType is the default)
 */
public record SlotDefinition(SlotName name, String alias, String fileName, StoreType format, KeyType keyType,
                             RotationPolicy rotationPolicy, Duration duration, Duration renewBefore,
                             CertificateProfile profile, ImportSpec importFrom, boolean explicitAlgorithm,
                             boolean explicitKeyType, Pkcs12Profile pkcs12Profile) {
    /** Whether the slot's key and chain come from its {@code import} rather than from the operator. */
    public boolean imported() {
        return importFrom != null;
    }
}
