package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustSource;
import dev.keystore.operator.crypto.CertificateChain;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.SigningCa;
import dev.keystore.operator.keystore.KeyLookup;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
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
        Map<RecordRole, String> recordNames = new java.util.EnumMap<>(RecordRole.class);
        var caFound = source.record(def.name(), def.secretName(), RecordRole.CA);
        var internalFound = source.record(def.name(), def.secretName(), RecordRole.INTERNAL);
        caFound.ifPresent(r -> recordNames.put(RecordRole.CA, r.name()));
        internalFound.ifPresent(r -> recordNames.put(RecordRole.INTERNAL, r.name()));
        Map<String, byte[]> caRecord = caFound.map(InputSource.Named::data).orElse(Map.of());
        Map<String, byte[]> internal = internalFound.map(InputSource.Named::data).orElse(Map.of());
        String password = null;
        if (def.passwordSecretRef() != null) {
            password = referencedPassword(source, def.passwordSecretRef().name, def.passwordSecretRef().key,
                "spec.passwordSecretRef");
        }
        CertificateAuthority externalCa = switch (def.issuer().kind()) {
            case SELF_SIGNED, EXTERNAL -> null;
            case CA_SECRET -> caFromSecret(source, def.issuer().reference(), "spec.issuer.ca.secretRef");
            case KEYSTORE_SET -> caOfSet(source, def.issuer().reference(), 0, "spec.issuer.keystoreSetRef");
        };
        List<X509Certificate> extra = new ArrayList<>();
        for (String bundle : def.truststore().trustBundles()) {
            TrustBundle tb = source.trustBundle(bundle).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
                "TrustBundle " + bundle + " (spec.truststore.trustBundleRefs) does not exist").raise());
            extra.addAll(trustedCertificates(tb, source, def.name()));
        }
        Map<SlotName, Imported> imports = new java.util.EnumMap<>(SlotName.class);
        for (SlotDefinition slot : def.slots().values()) {
            var spec = slot.importFrom();
            if (spec != null) {
                try {
                    imports.put(slot.name(), spec.keystore != null ? fromKeystore(source, spec.keystore, slot)
                        : fromTlsSecret(source, spec.secretRef == null ? null : spec.secretRef.name, slot));
                } catch (Problem.Raised e) {
                    imports.put(slot.name(), Imported.failed(e.problem()));
                }
            }
        }
        return new ExistingState(output, caRecord, internal, password, externalCa, extra, rotationRequests, imports,
            recordNames);
    }

    /** Inputs larger than this are refused before they are parsed. */
    static final int MAX_INPUT_BYTES = 1 << 20;

    private static Imported fromTlsSecret(InputSource source, String name, SlotDefinition slot) throws Problem.Raised {
        String field = "spec." + slot.name().key() + ".import.secretRef";
        if (name == null) {
            throw Problem.invalidSpec(field, "set secretRef or keystore").raise();
        }
        var data = source.secret(name).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
            "Secret " + name + " (" + field + ") does not exist").raise());
        byte[] crt = bounded(data, name, "tls.crt", field);
        byte[] key = bounded(data, name, "tls.key", field);
        List<X509Certificate> chain;
        java.security.PrivateKey privateKey;
        try {
            chain = Pem.certificates(crt);
        } catch (Pem.PemException e) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + name + " key tls.crt " + e.getMessage()).raise();
        }
        try {
            privateKey = Pem.privateKey(key);
        } catch (Pem.PemException e) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + name + " key tls.key " + e.getMessage()).raise();
        }
        List<X509Certificate> ca = List.of();
        if (data.containsKey("ca.crt") && data.get("ca.crt").length > 0) {
            ca = pem(bounded(data, name, "ca.crt", field), "Secret " + name + " key ca.crt", field);
        }
        return new Imported(checked(privateKey, chain, slot, "Secret " + name + " keys tls.key and tls.crt"), ca, null);
    }

    private static Imported fromKeystore(InputSource source, dev.keystore.operator.api.v1alpha1.KeystoreImport spec,
                                         SlotDefinition slot) throws Problem.Raised {
        String field = "spec." + slot.name().key() + ".import.keystore";
        String name = spec.secretRef.name;
        String key = spec.secretRef.key == null ? "keystore" : spec.secretRef.key;
        var data = source.secret(name).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
            "Secret " + name + " (" + field + ".secretRef) does not exist").raise());
        byte[] bytes = bounded(data, name, key, field + ".secretRef");
        String pwName = spec.passwordSecretRef.name;
        String pwKey = spec.passwordSecretRef.key == null ? "password" : spec.passwordSecretRef.key;
        var pwData = source.secret(pwName).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
            "Secret " + pwName + " (" + field + ".passwordSecretRef) does not exist").raise());
        byte[] pw = bounded(pwData, pwName, pwKey, field + ".passwordSecretRef");
        String alias = spec.alias != null && !spec.alias.isBlank() ? spec.alias : null;
        KeyLookup lookup;
        try {
            // only the entry asked for is decrypted, and unchanged bytes are not decrypted again
            lookup = KeystoreCodec.readKey(KeystoreCodec.detect(bytes), bytes,
                new String(pw, StandardCharsets.UTF_8).strip().toCharArray(), alias);
        } catch (KeystoreCodec.UnreadableKeystore e) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + name + " key " + key + ": " + e.getMessage()
                + " (password from Secret " + pwName + " key " + pwKey + ")").raise();
        }
        StoreEntry.KeyEntry entry;
        if (lookup.entry().isPresent()) {
            entry = lookup.entry().get();
        } else if (alias != null) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + name + " key " + key + " has no private key entry '"
                + alias + "'" + (lookup.certificateAliases().stream().anyMatch(a -> a.equalsIgnoreCase(alias))
                ? " (that alias holds only a certificate)" : "")).raise();
        } else {
            throw new Problem(Problem.BAD_INPUT, "Secret " + name + " key " + key + " holds " + lookup.keyAliases().size()
                + " private key entries: set " + field + ".alias").raise();
        }
        return new Imported(checked(entry.key(), entry.chain(), slot, "Secret " + name + " key " + key), List.of(), null);
    }

    /** The key must belong to a certificate of the chain; the chain is put in order leaf to root. */
    private static dev.keystore.operator.crypto.KeyAndChain checked(java.security.PrivateKey key,
                                                                    List<X509Certificate> certs, SlotDefinition slot,
                                                                    String where) throws Problem.Raised {
        if (KeyType.supported(key).isEmpty()) {
            throw new Problem(Problem.BAD_INPUT, where + ": the key is " + KeyType.found(key) + "; an imported key must be "
                + KeyType.ACCEPTED).raise();
        }
        X509Certificate leaf = certs.stream().filter(c -> dev.keystore.operator.crypto.KeyMatch.matches(key,
            c.getPublicKey())).findFirst().orElseThrow(() -> new Problem(Problem.BAD_INPUT, where
            + ": the private key does not match the certificate").raise());
        if (!slot.keyType().algorithm().equals(key.getAlgorithm()) && slot.explicitAlgorithm()) {
            throw new Problem(Problem.BAD_INPUT, where + ": the key is " + key.getAlgorithm() + " but spec."
                + slot.name().key() + ".privateKey.algorithm is " + slot.keyType().algorithm()).raise();
        }
        if ((slot.name() != SlotName.TLS) && !"RSA".equals(key.getAlgorithm())) {
            throw new Problem(Problem.BAD_INPUT, where + ": " + slot.name().key() + " keys must be RSA").raise();
        }
        List<X509Certificate> ordered = new ArrayList<>(List.of(leaf));
        List<X509Certificate> rest = new ArrayList<>(certs);
        rest.remove(leaf);
        while (!rest.isEmpty()) {
            X509Certificate last = ordered.get(ordered.size() - 1);
            if (last.getIssuerX500Principal().equals(last.getSubjectX500Principal())) {
                break; // a root: anything else does not belong to this chain
            }
            X509Certificate parent = rest.stream().filter(c -> CertificateChain.issues(c, last)).findFirst().orElse(null);
            if (parent == null) {
                throw new Problem(Problem.BAD_INPUT, where + ": the chain is broken after "
                    + last.getSubjectX500Principal().getName()).raise();
            }
            ordered.add(parent);
            rest.remove(parent);
        }
        return new dev.keystore.operator.crypto.KeyAndChain(key, ordered);
    }

    private static byte[] bounded(Map<String, byte[]> data, String secret, String key, String field) throws Problem.Raised {
        byte[] value = data.get(key);
        if (value == null || value.length == 0) {
            throw new Problem(Problem.MISSING_INPUT, "Secret " + secret + " has no " + (value == null ? "" : "non-empty ")
                + "key " + key + " (" + field + ")").raise();
        }
        if (value.length > MAX_INPUT_BYTES) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + secret + " key " + key + " is larger than 1 MiB (" + field
                + ")").raise();
        }
        return value;
    }

    /** Every certificate of a TrustBundle's sources, in order; a problem names the source to fix. */
    public static List<X509Certificate> trustedCertificates(TrustBundle bundle, InputSource source) throws Problem.Raised {
        return trustedCertificates(bundle, source, null);
    }

    /**
     * As above, for the set {@code forSet}: a bundle naming that same set as a source does not wait
     * for the set's CA (the set is what makes it); until it exists that source adds nothing.
     */
    static List<X509Certificate> trustedCertificates(TrustBundle bundle, InputSource source, String forSet)
        throws Problem.Raised {
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
                try {
                    certificates.addAll(caOfSet(source, s.keystoreSet.name, 0, field + ".keystoreSet").chain());
                } catch (Problem.Raised e) {
                    if (!(s.keystoreSet.name.equals(forSet) && Problem.ISSUER_NOT_READY.equals(e.problem().reason()))) {
                        throw e;
                    }
                }
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
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new Problem(Problem.BAD_INPUT, where + " is larger than 1 MiB (" + field + ")").raise();
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
    public static CertificateAuthority caOfSet(InputSource source, String setName, int depth, String field)
        throws Problem.Raised {
        if (depth > MAX_ISSUER_DEPTH) {
            throw new Problem(Problem.INVALID_SPEC, field + ": the chain of sets is too long or loops at "
                + setName).raise();
        }
        KeystoreSet set = source.keystoreSet(setName).orElseThrow(() -> new Problem(Problem.ISSUER_NOT_READY,
            "KeystoreSet " + setName + " (" + field + ") does not exist").raise());
        SetDefinition def;
        try {
            def = SetDefinition.of(set);
        } catch (Problem.Raised e) {
            throw new Problem(Problem.ISSUER_NOT_READY, "KeystoreSet " + setName + " (" + field + ") is invalid: "
                + e.problem().message()).raise();
        }
        return switch (def.issuer().kind()) {
            case SELF_SIGNED -> {
                String caSecret = def.secrets().record(RecordRole.CA);
                var found = source.record(setName, def.secretName(), RecordRole.CA).orElseThrow(() -> new Problem(
                    Problem.ISSUER_NOT_READY, "KeystoreSet " + setName + " (" + field + ") has not issued its CA yet (no Secret "
                        + caSecret + ")").raise());
                yield signable(CaRecord.readCa(sized(found.data(), found.name(), field), found.name()), found.name());
            }
            case CA_SECRET -> caFromSecret(source, def.issuer().reference(),
                "spec.issuer.ca.secretRef of KeystoreSet " + setName);
            case KEYSTORE_SET -> caOfSet(source, def.issuer().reference(), depth + 1, field);
            case EXTERNAL -> throw new Problem(Problem.INVALID_SPEC, field + ": KeystoreSet " + setName
                + " is signed by an external CA (issuer.external) and has no CA key to sign with").raise();
        };
    }

    private static CertificateAuthority caFromSecret(InputSource source, String name, String field) throws Problem.Raised {
        var data = source.secret(name).orElseThrow(() -> new Problem(Problem.MISSING_INPUT,
            "Secret " + name + " (" + field + ") does not exist").raise());
        return signable(CaRecord.readCa(sized(data, name, field), name), name);
    }

    /** A CA Secret's data, refused before parsing when a key is larger than 1 MiB. */
    private static Map<String, byte[]> sized(Map<String, byte[]> data, String secret, String field) throws Problem.Raised {
        for (var e : data.entrySet()) {
            if (e.getValue() != null && e.getValue().length > MAX_INPUT_BYTES) {
                throw new Problem(Problem.BAD_INPUT, "Secret " + secret + " key " + e.getKey() + " is larger than 1 MiB ("
                    + field + ")").raise();
            }
        }
        return data;
    }

    /** A CA from a Secret that we will sign with: a key type we accept, no SHA-1 signature. */
    private static CertificateAuthority signable(CertificateAuthority ca, String secret) throws Problem.Raised {
        var refusal = SigningCa.refusal(ca.chain());
        if (refusal.isPresent()) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + secret + " key tls.crt: the CA certificate "
                + refusal.get()).raise();
        }
        return ca;
    }

    /**
     * The password a passwordSecretRef names, one reader for sets, bundles and render: the Secret and the
     * key must exist, and the value (stripped) must not be blank. A blank password is refused, never used
     * and never replaced by a generated one.
     *
     * @param key the key in the Secret, or null for the default {@code password}
     */
    public static String referencedPassword(InputSource source, String secret, String key, String field)
        throws Problem.Raised {
        String k = key == null ? "password" : key;
        String password = new String(requiredKey(source, secret, k, field), StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new Problem(Problem.BAD_INPUT, "Secret " + secret + " key " + k + " (" + field + ") is empty").raise();
        }
        return password;
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
