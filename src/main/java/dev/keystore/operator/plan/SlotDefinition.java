package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.keystore.Pkcs12Profile;
import dev.keystore.operator.keystore.StoreType;
import java.time.Duration;

/** One slot with every default applied: what api.md says the slot means. */
public record SlotDefinition(SlotName name, String alias, String fileName, StoreType format, KeyType keyType,
                             RotationPolicy rotationPolicy, Duration duration, Duration renewBefore,
                             CertificateProfile profile, SlotSpec spec, Pkcs12Profile pkcs12Profile) {
}
