package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustSource;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.SystemTrust;
import dev.keystore.operator.crypto.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gathers the {@link ExistingState} of a set from an {@link InputSource}, naming what is missing. */
public final class Inputs {
    private static final int MAX_ISSUER_DEPTH = 8;

    private Inputs() {
    }

    public static ExistingState gather(SetDefinition def, InputSource source, Map<SlotName, String> rotationRequests)
        throws Problem.Raised {
        Map<String, byte[]> output = source.secret(def.secretName()).orElse(Map.of());
        Map<String, byte[]> caRecord = def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.SELF_SIGNED
            ? source.secret(SetDefinition.caSecretName(def.secretName())).orElse(Map.of()) : Map.of();
        Map<String, byte[]> internal = source.secret(SetDefinition.internalSecretName(def.secretName())).orElse(Map.of());
        String password = null;
        if (def.passwordSecretRef() != null) {
            password = new String(requiredKey(source, def.passwordSecretRef().name, def.passwordSecretRef().key,
                "spec.passwordSecretRef"), StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new Problem(Problem.BAD_INPUT, "Secret " + def.passwordSecretRef().name + " key "
                    + def.passwordSecretRef().key + " (spec.passwordSecretRef) is empty").raise();
            }
        }
        CertificateAuthority externalCa = switch (def.issuer().kind()) {
            case SELF_SIGNED -> null;
            case CA_SECRET -> caFromSecret(source, def.issuer().reference(), "spec.issuer.ca.secretRef");
            case KEYSTORE_SET -> caOfSet(source, def.issuer().reference(), 0);
        };
        List<X509Certificate> extra = new ArrayList<>();
        for (String bundle : def.truststore().trustBundles()) {
            TrustBundle tb = source.trustBundle(bundle).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
                "TrustBundle " + bundle + " (spec.truststore.trustBundleRefs) does not exist").raise());
            extra.addAll(trustedCertificates(tb, source));
        }
        return new ExistingState(output, caRecord, internal, password, externalCa, extra, rotationRequests);
    }

    /** Every certificate of a TrustBundle's sources, in order; a problem names the source to fix. */
    public static List<X509Certificate> trustedCertificates(TrustBundle bundle, InputSource source) throws Problem.Raised {
        String name = bundle.getMetadata().getName();
        List<X509Certificate> certificates = new ArrayList<>();
        List<TrustSource> sources = bundle.getSpec() == null || bundle.getSpec().sources == null ? List.of()
            : bundle.getSpec().sources;
        for (int i = 0; i < sources.size(); i++) {
            TrustSource s = sources.get(i);
            String field = "TrustBundle " + name + " spec.sources[" + i + "]";
            if (s.secret != null) {
                String key = s.secret.key == null ? "ca.crt" : s.secret.key;
                Map<String, byte[]> data = source.secret(s.secret.name).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
                    "Secret " + s.secret.name + " (" + field + ") does not exist").raise());
                certificates.addAll(pem(data.get(key), "Secret " + s.secret.name + " key " + key, field));
            } else if (s.configMap != null) {
                String key = s.configMap.key == null ? "ca.crt" : s.configMap.key;
                Map<String, byte[]> data = source.configMap(s.configMap.name).orElseThrow(() -> new Problem(
                    Problem.MISSING_INPUT, "ConfigMap " + s.configMap.name + " (" + field + ") does not exist").raise());
                certificates.addAll(pem(data.get(key), "ConfigMap " + s.configMap.name + " key " + key, field));
            } else if (s.inline != null) {
                certificates.addAll(pem(s.inline.getBytes(StandardCharsets.UTF_8), field + ".inline", field));
            } else if (s.keystoreSet != null) {
                certificates.addAll(caOfSet(source, s.keystoreSet.name, 0).chain());
            } else if (Boolean.TRUE.equals(s.systemCAs)) {
                certificates.addAll(SystemTrust.certificates());
            }
        }
        return certificates;
    }

    private static List<X509Certificate> pem(byte[] bytes, String where, String field) throws Problem.Raised {
        if (bytes == null) {
            throw new Problem(Problem.MISSING_INPUT, where + " does not exist (" + field + ")").raise();
        }
        if (new String(bytes, StandardCharsets.UTF_8).contains("PRIVATE KEY-----")) {
            throw new Problem(Problem.BAD_INPUT, where + " holds a private key: a trust source must hold certificates"
                + " only, and the key is never copied into a truststore (" + field + ")").raise();
        }
        try {
            return Pem.certificates(bytes);
        } catch (Pem.PemException e) {
            throw new Problem(Problem.BAD_INPUT, where + " " + e.getMessage() + " (" + field + ")").raise();
        }
    }

    /** The CA a KeystoreSet signs with: what another set's issuer.keystoreSetRef gets. */
    public static CertificateAuthority caOfSet(InputSource source, String setName, int depth) throws Problem.Raised {
        if (depth > MAX_ISSUER_DEPTH) {
            throw new Problem(Problem.INVALID_SPEC, "spec.issuer.keystoreSetRef: the chain of sets is too long or loops at "
                + setName).raise();
        }
        KeystoreSet set = source.keystoreSet(setName).orElseThrow(() -> new Problem(Problem.ISSUER_NOT_READY,
            "KeystoreSet " + setName + " (spec.issuer.keystoreSetRef) does not exist").raise());
        SetDefinition def;
        try {
            def = SetDefinition.of(set);
        } catch (Problem.Raised e) {
            throw new Problem(Problem.ISSUER_NOT_READY, "KeystoreSet " + setName + " (spec.issuer.keystoreSetRef) is invalid: "
                + e.problem().message()).raise();
        }
        return switch (def.issuer().kind()) {
            case SELF_SIGNED -> {
                String caSecret = SetDefinition.caSecretName(def.secretName());
                var data = source.secret(caSecret).orElseThrow(() -> new Problem(Problem.ISSUER_NOT_READY,
                    "KeystoreSet " + setName + " (spec.issuer.keystoreSetRef) has not issued its CA yet (no Secret "
                        + caSecret + ")").raise());
                yield Issuance.readCa(data, caSecret);
            }
            case CA_SECRET -> caFromSecret(source, def.issuer().reference(),
                "spec.issuer.ca.secretRef of KeystoreSet " + setName);
            case KEYSTORE_SET -> caOfSet(source, def.issuer().reference(), depth + 1);
        };
    }

    private static CertificateAuthority caFromSecret(InputSource source, String name, String field) throws Problem.Raised {
        var data = source.secret(name).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
            "Secret " + name + " (" + field + ") does not exist").raise());
        return Issuance.readCa(data, name);
    }

    private static byte[] requiredKey(InputSource source, String secret, String key, String field) throws Problem.Raised {
        var data = source.secret(secret).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
            "Secret " + secret + " (" + field + ") does not exist").raise());
        byte[] value = data.get(key);
        if (value == null) {
            throw new Problem(Problem.MISSING_INPUT, "Secret " + secret + " has no key " + key + " (" + field + ")").raise();
        }
        return value;
    }
}
