package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.render.Manifests;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

/** Bring your own keys: a kubernetes.io/tls Secret followed as it changes, a legacy JKS adopted as internal. */
class ImportTest {
    final MapInputs inputs = new MapInputs();
    final Map<String, Map<String, byte[]>> secrets = inputs.secrets;

    InputSource source() {
        return inputs;
    }

    static SetDefinition def(String spec) throws Exception {
        return SetDefinition.of(Manifests.STRICT.readValue("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: imp, namespace: ns}
            spec:
              issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
            """ + spec.indent(2), KeystoreSet.class));
    }

    Outcome run(SetDefinition def, Outcome before) throws Problem.Raised {
        ExistingState gathered = Inputs.gather(def, source(), Map.of());
        if (before != null) {
            gathered = new ExistingState(before.output(), before.caRecord(), before.internalRecord(), null, null,
                gathered.extraTrusted(), Map.of(), gathered.imports());
        }
        return new Issuance(TestKeys.signerAt(TestKeys.T0)).run(def, gathered);
    }

    /** A leaf for RSA or EC from an intermediate under a root: key, [leaf, intermediate, root]. */
    static Map<String, Object> chain(String cn, KeyType type) {
        Signer signer = TestKeys.signerAt(TestKeys.T0);
        CertificateAuthority root = TestKeys.ecCa("Corp Root");
        KeyPair intermediateKeys = TestKeys.ec256();
        List<X509Certificate> intermediate = signer.issue(root, new CertificateProfile(new X500Name("CN=Corp Issuing"),
            Set.of(), Set.of(), org.bouncycastle.asn1.x509.KeyUsage.keyCertSign, Set.of(), true),
            intermediateKeys.getPublic(), Duration.ofDays(1000));
        CertificateAuthority issuing = new CertificateAuthority(intermediateKeys.getPrivate(), intermediate);
        KeyPair leaf = type.generate(TestKeys.nextSeeded());
        List<X509Certificate> full = signer.issue(issuing, new CertificateProfile(new X500Name("CN=" + cn),
            Set.of(cn), Set.of(), org.bouncycastle.asn1.x509.KeyUsage.digitalSignature
            | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment, Set.of("1.3.6.1.5.5.7.3.1"), false),
            leaf.getPublic(), Duration.ofDays(90));
        return Map.of("key", leaf.getPrivate(), "chain", full, "root", root.certificate());
    }

    @SuppressWarnings("unchecked")
    void tlsSecret(String name, Map<String, Object> c, boolean reversed) {
        List<X509Certificate> chain = new ArrayList<>((List<X509Certificate>) c.get("chain"));
        chain.remove(chain.size() - 1); // cert-manager writes leaf + intermediates; the root goes in ca.crt
        if (reversed) {
            java.util.Collections.reverse(chain);
        }
        secrets.put(name, Map.of("tls.crt", Pem.encode(chain).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode((java.security.PrivateKey) c.get("key")).getBytes(StandardCharsets.UTF_8),
            "ca.crt", Pem.encode(List.of((X509Certificate) c.get("root"))).getBytes(StandardCharsets.UTF_8)));
    }

    static StoreEntry.KeyEntry entry(Outcome o, String file) throws Exception {
        char[] pw = new String(o.output().get("password"), StandardCharsets.UTF_8).toCharArray();
        byte[] bytes = o.output().get(file);
        return KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, pw).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(StoreEntry.KeyEntry.class::cast).findFirst().orElseThrow();
    }

    @Test
    void aTlsSecretIsFollowedWithItsChainInOrderAndItsCaTrusted() throws Exception {
        Map<String, Object> first = chain("app.example", KeyType.ec(256));
        tlsSecret("cm-tls", first, true);
        SetDefinition def = def("tls: {import: {secretRef: {name: cm-tls}}}");

        Outcome one = run(def, null);
        assertEquals(SlotAction.IMPORTED, one.slots().get(SlotName.TLS).action());
        StoreEntry.KeyEntry e = entry(one, "tls.p12");
        assertEquals("CN=app.example", e.chain().get(0).getSubjectX500Principal().getName());
        assertEquals("CN=Corp Issuing", e.chain().get(1).getSubjectX500Principal().getName());
        assertEquals(2, one.trustedCertificates(), "own CA and the imported ca.crt");

        Outcome two = run(def, one);
        assertEquals(SlotAction.KEPT, two.slots().get(SlotName.TLS).action());
        for (String k : one.output().keySet()) {
            assertArrayEquals(one.output().get(k), two.output().get(k), k);
        }

        tlsSecret("cm-tls", chain("app.example", KeyType.ec(256)), false); // cert-manager renewed it
        Outcome three = run(def, two);
        assertEquals(SlotAction.IMPORTED, three.slots().get(SlotName.TLS).action());
        assertFalse(java.util.Arrays.equals(entry(two, "tls.p12").key().getEncoded(),
            entry(three, "tls.p12").key().getEncoded()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLegacyJksIsAdoptedAsInternalAndKeptForeverAfter() throws Exception {
        Map<String, Object> legacy = chain("wso2carbon", KeyType.rsa(2048));
        StoreContent content = StoreContent.of(new StoreEntry.KeyEntry("wso2carbon", (java.security.PrivateKey)
            legacy.get("key"), (List<X509Certificate>) legacy.get("chain")));
        secrets.put("legacy", Map.of("wso2carbon.jks", KeystoreCodec.write(StoreType.JKS, content, "wso2carbon"
            .toCharArray()), "password", "wso2carbon".getBytes(StandardCharsets.UTF_8)));
        SetDefinition def = def("""
            primary: {}
            internal:
              import: {keystore: {secretRef: {name: legacy, key: wso2carbon.jks}, passwordSecretRef: {name: legacy},
                                  alias: wso2carbon}}
            """);
        Outcome adopted = run(def, null);
        byte[] key = ((java.security.PrivateKey) legacy.get("key")).getEncoded();
        assertArrayEquals(key, entry(adopted, "internal.p12").key().getEncoded());
        assertFalse(java.util.Arrays.equals(key, entry(adopted, "primary.p12").key().getEncoded()));

        // the source Secret deleted: the recorded key stays
        secrets.remove("legacy");
        Outcome later = run(def, adopted);
        assertArrayEquals(key, entry(later, "internal.p12").key().getEncoded());
        assertEquals(SlotAction.KEPT, later.slots().get(SlotName.INTERNAL).action());

        // another key behind the same import: refused, the internal key never changes
        Map<String, Object> other = chain("wso2carbon", KeyType.rsa(2048));
        secrets.put("legacy", Map.of("wso2carbon.jks", KeystoreCodec.write(StoreType.JKS, StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", (java.security.PrivateKey) other.get("key"),
                (List<X509Certificate>) other.get("chain"))), "wso2carbon".toCharArray()),
            "password", "wso2carbon".getBytes(StandardCharsets.UTF_8)));
        Problem.Raised refused = assertThrows(Problem.Raised.class, () -> run(def, later));
        assertEquals(Problem.INTERNAL_KEY_IMMUTABLE, refused.problem().reason());
    }

    @Test
    @SuppressWarnings("unchecked")
    void badImportsAreNamedWithoutTheirContent() throws Exception {
        Map<String, Object> c = chain("bad.example", KeyType.rsa(2048));
        SetDefinition tls = def("tls: {import: {secretRef: {name: t}}}");
        // missing Secret
        assertProblem(tls, Problem.MISSING_INPUT, "Secret t (spec.tls.import.secretRef) does not exist");
        // key not matching the certificate
        tlsSecret("t", c, false);
        Map<String, byte[]> mismatched = new HashMap<>(secrets.get("t"));
        mismatched.put("tls.key", Pem.encode(TestKeys.rsa2048().getPrivate()).getBytes(StandardCharsets.UTF_8));
        secrets.put("t", mismatched);
        assertProblem(tls, Problem.BAD_INPUT, "Secret t keys tls.key and tls.crt: the private key does not match");
        // garbage PEM
        Map<String, byte[]> garbage = new HashMap<>(mismatched);
        garbage.put("tls.crt", "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".getBytes());
        secrets.put("t", garbage);
        assertProblem(tls, Problem.BAD_INPUT, "Secret t key tls.crt");
        // oversized
        Map<String, byte[]> big = new HashMap<>(garbage);
        big.put("tls.crt", new byte[(1 << 20) + 1]);
        secrets.put("t", big);
        assertProblem(tls, Problem.BAD_INPUT, "Secret t key tls.crt is larger than 1 MiB");
        // broken chain: leaf with an unrelated CA certificate
        tlsSecret("t", c, false);
        Map<String, byte[]> broken = new HashMap<>(secrets.get("t"));
        List<X509Certificate> leafOnly = List.of(((List<X509Certificate>) c.get("chain")).get(0),
            TestKeys.ecCa("Unrelated").certificate());
        broken.put("tls.crt", Pem.encode(leafOnly).getBytes(StandardCharsets.UTF_8));
        secrets.put("t", broken);
        assertProblem(tls, Problem.BAD_INPUT, "the chain is broken");

        // keystore: wrong password, missing alias
        StoreContent content = StoreContent.of(new StoreEntry.KeyEntry("k", (java.security.PrivateKey) c.get("key"),
            (List<X509Certificate>) c.get("chain")));
        secrets.put("ks", Map.of("store.p12", KeystoreCodec.write(StoreType.PKCS12, content, "right".toCharArray()),
            "password", "wrong-password-value".getBytes(StandardCharsets.UTF_8)));
        SetDefinition ks = def("primary: {import: {keystore: {secretRef: {name: ks, key: store.p12},"
            + " passwordSecretRef: {name: ks}, alias: k}}}");
        Problem p = assertProblem(ks, Problem.BAD_INPUT, "Secret ks key store.p12: password is wrong");
        assertFalse(p.message().contains("wrong-password-value"));
        secrets.put("ks", Map.of("store.p12", KeystoreCodec.write(StoreType.PKCS12, content, "right".toCharArray()),
            "password", "right".getBytes(StandardCharsets.UTF_8)));
        assertProblem(def("primary: {import: {keystore: {secretRef: {name: ks, key: store.p12},"
            + " passwordSecretRef: {name: ks}, alias: nope}}}"), Problem.BAD_INPUT, "has no private key entry 'nope'");
    }

    @Test
    void aSetTrustingABundleThatNamesTheSetItselfIssuesFirstAndIsThenInIt() throws Exception {
        KeystoreSet set = Manifests.STRICT.readValue("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: loop, namespace: ns}
            spec:
              tls: {dnsNames: [loop.ns.svc]}
              truststore: {trustBundleRefs: [{name: mine}]}
            """, KeystoreSet.class);
        MapInputs inputs = new MapInputs();
        inputs.sets.put("loop", set);
        inputs.bundles.put("mine", Manifests.STRICT.readValue("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: mine, namespace: ns}
            spec:
              sources: [{keystoreSet: {name: loop}}, {keystoreSet: {name: other}}]
            """, TrustBundle.class));
        SetDefinition def = SetDefinition.of(set);
        // another set that does not exist yet still blocks, naming the bundle's source
        Problem other = assertThrows(Problem.Raised.class, () -> Inputs.gather(def, inputs, Map.of())).problem();
        assertEquals(Problem.ISSUER_NOT_READY, other.reason());
        assertTrue(other.message().contains("TrustBundle mine spec.sources[1].keystoreSet"), other.message());
        inputs.bundles.get("mine").getSpec().sources.remove(1);
        // its own CA does not exist before its first run: that source waits for it instead of blocking it
        ExistingState first = Inputs.gather(def, inputs, Map.of());
        assertTrue(first.extraTrusted().isEmpty());
        Outcome o = new Issuance(TestKeys.signerAt(TestKeys.T0)).run(def, first);
        inputs.secrets.put(def.secrets().record(RecordRole.CA), o.caRecord());
        assertEquals(1, Inputs.gather(def, inputs, Map.of()).extraTrusted().size(), "then its CA comes through the bundle");
    }

    Problem assertProblem(SetDefinition def, String reason, String text) {
        Problem.Raised e = assertThrows(Problem.Raised.class, () -> run(def, null));
        assertEquals(reason, e.problem().reason(), e.problem().message());
        assertTrue(e.problem().message().contains(text), e.problem().message());
        assertFalse(e.problem().message().contains("BEGIN"), e.problem().message());
        return e.problem();
    }
}
