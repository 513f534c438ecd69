package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.render.Manifests;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keys and CAs made elsewhere: what we accept signs and imports; what we do not is BadInput naming
 * the Secret, the key, what was found and what is allowed; never an uncaught exception.
 */
class ForeignKeysTest {
    final MapInputs inputs = new MapInputs();

    static SetDefinition def(String spec) throws Exception {
        return SetDefinition.of(Manifests.STRICT.readValue("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: foreign, namespace: ns}
            spec:
            """ + spec.indent(2), KeystoreSet.class));
    }

    static final String CA_SET = """
        issuer: {ca: {secretRef: {name: corp}}}
        tls: {dnsNames: [web.example]}
        """;

    Outcome run(SetDefinition def) throws Problem.Raised {
        return new Issuance(TestKeys.signerAt(TestKeys.T0)).run(def, Inputs.gather(def, inputs, Map.of()));
    }

    static KeyPair generate(String algorithm, Object parameter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (parameter instanceof Integer bits) {
            g.initialize(bits);
        } else {
            g.initialize(new ECGenParameterSpec((String) parameter));
        }
        return g.generateKeyPair();
    }

    void caSecret(KeyPair keys, X509Certificate certificate) {
        inputs.secrets.put("corp", Map.of("tls.crt", Pem.encode(List.of(certificate)).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode(keys.getPrivate()).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void p521AndRsa4096CasSign() throws Exception {
        for (var ca : List.of(new Object[] {generate("EC", "secp521r1"), "SHA512withECDSA"},
            new Object[] {generate("RSA", 4096), "SHA384withRSA"})) {
            KeyPair keys = (KeyPair) ca[0];
            X509Certificate cert = TestKeys.foreignCa(keys, (String) ca[1], "Corp CA");
            caSecret(keys, cert);
            Outcome outcome = run(def(CA_SET));
            SlotReport tls = outcome.slots().get(SlotName.TLS);
            assertEquals("CN=Corp CA", tls.issuer());
            List<X509Certificate> chain = Pem.certificates(outcome.output().get("tls.crt"));
            chain.get(0).verify(cert.getPublicKey());
            assertEquals(ca[1], chain.get(0).getSigAlgName());
        }
    }

    @Test
    void weakAndUnsupportedCasAreBadInputNamingTheSecretAndWhatWasFound() throws Exception {
        KeyPair rsa1024 = generate("RSA", 1024);
        caSecret(rsa1024, TestKeys.foreignCa(rsa1024, "SHA256withRSA", "Small CA"));
        Problem small = assertThrows(Problem.Raised.class, () -> run(def(CA_SET))).problem();
        assertEquals(Problem.BAD_INPUT, small.reason());
        assertTrue(small.message().startsWith("Secret corp key tls.crt: the CA certificate has a RSA 1024 key")
            && small.message().contains(KeyType.ACCEPTED), small.message());

        KeyPair rsa2048 = TestKeys.rsa2048();
        caSecret(rsa2048, TestKeys.foreignCa(rsa2048, "SHA1withRSA", "Old CA"));
        Problem sha1 = assertThrows(Problem.Raised.class, () -> run(def(CA_SET))).problem();
        assertEquals(Problem.BAD_INPUT, sha1.reason());
        assertTrue(sha1.message().startsWith("Secret corp key tls.crt: the CA certificate is signed with SHA1withRSA"),
            sha1.message());

        KeyPair dsa = generate("DSA", 2048);
        caSecret(dsa, TestKeys.foreignCa(dsa, "SHA256withDSA", "DSA CA"));
        Problem dsaProblem = assertThrows(Problem.Raised.class, () -> run(def(CA_SET))).problem();
        assertTrue(dsaProblem.message().contains("has a DSA 2048 key"), dsaProblem.message());
    }

    void tlsImport(KeyPair leafKeys) {
        CertificateAuthority ca = TestKeys.ecCa("Leaf CA");
        List<X509Certificate> chain = TestKeys.signerAt(TestKeys.T0).issue(ca, TestKeys.leafProfile("web.example",
            Set.of("web.example"), Set.of()), leafKeys.getPublic(), Duration.ofDays(90));
        inputs.secrets.put("web", Map.of("tls.crt", Pem.encode(chain).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode(leafKeys.getPrivate()).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void importedLeavesOfTheKeysWeAcceptAreTakenAndOthersRefused() throws Exception {
        SetDefinition def = def("""
            tls: {import: {secretRef: {name: web}}}
            """);
        tlsImport(generate("EC", "secp521r1"));
        assertEquals("EC P-521", run(def).slots().get(SlotName.TLS).keyAlgorithm());
        tlsImport(KeyType.ed25519().generate(TestKeys.nextSeeded()));
        assertEquals("Ed25519", run(def).slots().get(SlotName.TLS).keyAlgorithm());

        KeyPair rsa1024 = generate("RSA", 1024);
        CertificateAuthority ca = TestKeys.ecCa("Leaf CA");
        // the Signer still signs for a 1024-bit public key: it is the import that refuses it
        List<X509Certificate> chain = TestKeys.signerAt(TestKeys.T0).issue(ca, TestKeys.leafProfile("web.example",
            Set.of("web.example"), Set.of()), rsa1024.getPublic(), Duration.ofDays(90));
        inputs.secrets.put("web", Map.of("tls.crt", Pem.encode(chain).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode(rsa1024.getPrivate()).getBytes(StandardCharsets.UTF_8)));
        Problem refused = assertThrows(Problem.Raised.class, () -> run(def)).problem();
        assertEquals(Problem.BAD_INPUT, refused.reason());
        assertEquals("Secret web keys tls.key and tls.crt: the key is RSA 1024; an imported key must be "
            + KeyType.ACCEPTED, refused.message());
    }

    static void rsa2048Import(MapInputs inputs, byte[] store) {
        inputs.secrets.put("legacy", Map.of("store.p12", store, "password", "legacy-pass".getBytes(StandardCharsets.UTF_8)));
    }

    static final String PRIMARY_IMPORT = """
        issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
        primary:
          import: {keystore: {secretRef: {name: legacy, key: store.p12}, passwordSecretRef: {name: legacy}, alias: signer}}
        """;

    @Test
    void anUnchangedImportedPkcs12CostsNoKeyDerivationOnTheNextReconcile() throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        SetDefinition def = def(PRIMARY_IMPORT);
        int rounds = 5;
        long before = 0;
        long cold = 0;
        long warm = 0;
        for (int i = 0; i < rounds; i++) {
            KeyPair keys = TestKeys.rsa2048();
            CertificateAuthority ca = TestKeys.ecCa("Legacy CA");
            List<X509Certificate> chain = TestKeys.signerAt(TestKeys.T0).issue(ca, TestKeys.leafProfile("signer",
                Set.of(), Set.of()), keys.getPublic(), Duration.ofDays(365));
            // what keytool writes: PBES2 with 10,000 iterations for the key and certificates, 10,000 for the MAC
            byte[] store = KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.KeyEntry("signer",
                keys.getPrivate(), chain), new StoreEntry.KeyEntry("other", TestKeys.rsa2048().getPrivate(), chain)),
                "legacy-pass".toCharArray());
            rsa2048Import(inputs, store);

            // before: every reconcile loaded the store and decrypted every key entry
            long t0 = threads.getCurrentThreadCpuTime();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(store), "legacy-pass".toCharArray());
            for (String alias : Collections.list(ks.aliases())) {
                ks.getKey(alias, "legacy-pass".toCharArray());
            }
            long t1 = threads.getCurrentThreadCpuTime();
            Imported first = Inputs.gather(def, inputs, Map.of()).imports().get(SlotName.PRIMARY);
            long t2 = threads.getCurrentThreadCpuTime();
            Imported again = Inputs.gather(def, inputs, Map.of()).imports().get(SlotName.PRIMARY);
            long t3 = threads.getCurrentThreadCpuTime();
            assertEquals(null, first.problem());
            assertEquals(keys.getPrivate(), again.material().key());
            if (i > 0) { // the first round warms the JIT
                before += t1 - t0;
                cold += t2 - t1;
                warm += t3 - t2;
            }
        }
        double n = rounds - 1;
        System.out.printf("unchanged imported PKCS12 (keytool defaults, 2 keys) per reconcile, CPU: before %.1f ms"
            + " (JDK load + every key), first read now %.1f ms (checks + one key), unchanged %.2f ms%n",
            before / n / 1e6, cold / n / 1e6, warm / n / 1e6);
        assertTrue(warm * 3 < cold, "cold " + cold + " ns, warm " + warm + " ns");
    }

    @Test
    void anImportedPkcs12AboveTheIterationCapIsBadInputNamingTheSecretAndKey() throws Exception {
        KeyPair keys = TestKeys.rsa2048();
        CertificateAuthority ca = TestKeys.ecCa("Legacy CA");
        List<X509Certificate> chain = TestKeys.signerAt(TestKeys.T0).issue(ca, TestKeys.leafProfile("signer",
            Set.of(), Set.of()), keys.getPublic(), Duration.ofDays(365));
        var crafted = new dev.keystore.operator.keystore.CraftedPkcs12();
        crafted.macIterations = 5_000_000;
        byte[] store = crafted.build(keys, chain, "legacy-pass".toCharArray());
        rsa2048Import(inputs, store);
        Problem problem = Inputs.gather(def(PRIMARY_IMPORT), inputs, Map.of()).imports().get(SlotName.PRIMARY).problem();
        assertEquals(Problem.BAD_INPUT, problem.reason());
        assertTrue(problem.message().startsWith("Secret legacy key store.p12: protects its MAC with 5000000 iterations,"
            + " more than the 200000 allowed"), problem.message());
        assertFalse(problem.message().contains("legacy-pass"));
    }

    @Test
    void anOversizedCaSecretIsRefusedUnparsed() throws Exception {
        byte[] big = new byte[(1 << 20) + 1];
        inputs.secrets.put("corp", Map.of("tls.crt", big, "tls.key", "x".getBytes(StandardCharsets.UTF_8)));
        Problem problem = assertThrows(Problem.Raised.class, () -> Inputs.gather(def(CA_SET), inputs, Map.of())).problem();
        assertEquals("Secret corp key tls.crt is larger than 1 MiB (spec.issuer.ca.secretRef)", problem.message());
    }

    @Test
    void anOversizedOrDeeplyNestedInlineTrustSourceIsRefusedNamingIt() throws Exception {
        var bundle = new dev.keystore.operator.api.v1alpha1.TrustBundle();
        bundle.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("tb").build());
        bundle.setSpec(new dev.keystore.operator.api.v1alpha1.TrustBundleSpec());
        var source = new dev.keystore.operator.api.v1alpha1.TrustSource();
        source.inline = "x".repeat((1 << 20) + 1);
        bundle.getSpec().sources = List.of(source);
        Problem big = assertThrows(Problem.Raised.class, () -> Inputs.trustedCertificates(bundle, inputs)).problem();
        assertEquals("TrustBundle tb spec.sources[0].inline is larger than 1 MiB (TrustBundle tb spec.sources[0])",
            big.message());

        byte[] deep = new byte[400_000];
        for (int i = 0; i < deep.length / 2; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        source.inline = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(deep)
            + "\n-----END CERTIFICATE-----\n";
        Problem nested = assertThrows(Problem.Raised.class, () -> Inputs.trustedCertificates(bundle, inputs)).problem();
        assertEquals(Problem.BAD_INPUT, nested.reason());
        assertTrue(nested.message().startsWith("TrustBundle tb spec.sources[0].inline is not readable PEM (a block nests"
            + " deeper than 64 levels)"), nested.message());
    }
}
