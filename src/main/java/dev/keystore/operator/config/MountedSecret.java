package dev.keystore.operator.config;

import dev.keystore.operator.api.v1alpha1.ClientAuthentication;
import dev.keystore.operator.api.v1alpha1.VerifyCertificates;
import dev.keystore.operator.plan.SetDefinition;
import dev.keystore.operator.plan.SlotName;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What every snippet describes: the output Secret as the product sees it, mounted at
 * {@code mountPath}. Each store keeps the spec field it came from, so that a value a format cannot
 * hold is refused naming that field.
 */
record MountedSecret(String setName, String secretName, String mountPath, Map<SlotName, Store> keystores,
                            Store truststore, VerifyCertificates verifyCertificates,
                            ClientAuthentication clientAuthentication) {

    /** One store file; {@code field} is its spec field ({@code spec.tls}); a truststore has no alias. */
    record Store(String field, String fileName, String type, String alias) {
    }

    MountedSecret {
        Map<SlotName, Store> ordered = new EnumMap<>(SlotName.class);
        ordered.putAll(keystores);
        keystores = Collections.unmodifiableMap(ordered);
    }

    static MountedSecret of(SetDefinition def) {
        Map<SlotName, Store> keystores = new EnumMap<>(SlotName.class);
        def.slots().forEach((name, slot) -> keystores.put(name,
            new Store("spec." + name.key(), slot.fileName(), slot.format().name(), slot.alias())));
        Store truststore = new Store("spec.truststore", def.truststore().fileName(), def.truststore().format().name(), null);
        return new MountedSecret(def.name(), def.secretName(), def.mountPath(), keystores, truststore,
            def.verifyCertificates(), def.clientAuthentication());
    }

    /** The path of a file in the mounted Secret. */
    String path(String fileName) {
        return mountPath + "/" + fileName;
    }
}
