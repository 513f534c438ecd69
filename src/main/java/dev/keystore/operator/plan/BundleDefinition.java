package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.SecretKeyRef;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustFormat;
import dev.keystore.operator.api.v1alpha1.TrustTarget;
import dev.keystore.operator.keystore.Pkcs12Profile;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A TrustBundle's target with every default of api.md applied and every rule checked, like
 * {@link SetDefinition} for a set. Built only through {@link #of(TrustBundle)}.
 *
 * @param passwordSecretRef with its key defaulted to {@code password}; null when the operator generates the password
 * @param namespaceSelector where copies go; null for none
 */
public record BundleDefinition(String name, String namespace, String targetSecret, List<TrustFormat> formats,
                               SecretKeyRef passwordSecretRef, Pkcs12Profile pkcs12Profile, boolean excludeExpired,
                               boolean configMap, LabelSelector namespaceSelector) {

    public BundleDefinition {
        formats = List.copyOf(formats);
    }

    public static BundleDefinition of(TrustBundle bundle) throws Problem.Raised {
        TrustTarget target = bundle.getSpec() == null ? null : bundle.getSpec().target;
        SecretKeyRef password = null;
        if (target != null && target.passwordSecretRef != null) {
            SecretKeyRef ref = target.passwordSecretRef;
            if (SetDefinition.blankToNull(ref.name) == null) {
                throw Problem.invalidSpec("spec.target.passwordSecretRef.name", "is required").raise();
            }
            password = new SecretKeyRef(ref.name, SetDefinition.blankToNull(ref.key) == null ? "password" : ref.key);
        }
        List<TrustFormat> formats = target == null || target.formats == null || target.formats.isEmpty()
            ? List.of(TrustFormat.PKCS12) : List.copyOf(new LinkedHashSet<>(target.formats));
        return new BundleDefinition(bundle.getMetadata().getName(), bundle.getMetadata().getNamespace(),
            targetSecret(bundle), formats, password, SetDefinition.pkcs12Profile(target == null ? null : target.pkcs12Profile),
            bundle.getSpec() != null && Boolean.TRUE.equals(bundle.getSpec().excludeExpired),
            target != null && Boolean.TRUE.equals(target.configMap), target == null ? null : target.namespaceSelector);
    }

    /** The Secret a bundle writes (spec.target.secretName, else the bundle's name); also before the spec is checked. */
    public static String targetSecret(TrustBundle bundle) {
        TrustTarget target = bundle.getSpec() == null ? null : bundle.getSpec().target;
        return target == null || target.secretName == null || target.secretName.isBlank()
            ? bundle.getMetadata().getName() : target.secretName;
    }

    /** The password the target names, by the one strict reader; null when the operator generates it. */
    public String referencedPassword(InputSource source) throws Problem.Raised {
        return passwordSecretRef == null ? null
            : Inputs.referencedPassword(source, passwordSecretRef.name, passwordSecretRef.key, "spec.target.passwordSecretRef");
    }
}
