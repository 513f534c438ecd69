package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
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
            extra.addAll(source.trustBundle(bundle));
        }
        return new ExistingState(output, caRecord, internal, password, externalCa, extra, rotationRequests);
    }

    /** The CA a KeystoreSet signs with: what another set's issuer.keystoreSetRef gets. */
    static CertificateAuthority caOfSet(InputSource source, String setName, int depth) throws Problem.Raised {
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
