package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bring your own keys on a real API server: legacy JKS adopted as internal, a tls Secret followed. */
class ImportIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String NS = "imports";
    static RealCluster cluster;
    static KubernetesClient client;
    static final Signer SIGNER = new Signer(Clock.systemUTC(), new SecureRandom());
    static final CertificateAuthority CORP = SIGNER.selfSignedCa(new X500Name("CN=Corp CA"),
        KeyType.ec(256).generate(new SecureRandom()), Duration.ofDays(365));

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("ImportIT");
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startOperator("ImportIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static StoreEntry.KeyEntry leaf(String cn, KeyType type) {
        KeyPair keys = type.generate(new SecureRandom());
        List<X509Certificate> chain = SIGNER.issue(CORP, new CertificateProfile(new X500Name("CN=" + cn), Set.of(cn),
            Set.of(), org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment
                | org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment, Set.of("1.3.6.1.5.5.7.3.1"), false),
            keys.getPublic(), Duration.ofDays(30));
        return new StoreEntry.KeyEntry("wso2carbon", keys.getPrivate(), chain);
    }

    static Optional<Condition> ready(String name) {
        KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(name).get();
        return s == null || s.getStatus() == null || s.getStatus().conditions == null ? Optional.empty()
            : s.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static Map<String, byte[]> data(String name) {
        return ManagedSecret.decode(client.secrets().inNamespace(NS).withName(name).get());
    }

    static byte[] key(Map<String, byte[]> data, String file) throws Exception {
        char[] pw = new String(data.get("password"), StandardCharsets.UTF_8).toCharArray();
        return KeystoreCodec.read(KeystoreCodec.detect(data.get(file)), data.get(file), pw).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow();
    }

    static void putSecret(String name, Map<String, byte[]> data) {
        var b64 = new java.util.HashMap<String, String>();
        data.forEach((k, v) -> b64.put(k, Base64.getEncoder().encodeToString(v)));
        var secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata().withData(b64).build();
        client.secrets().inNamespace(NS).resource(secret).createOr(op -> op.update());
    }

    @Test
    void aLegacyWso2KeystoreIsAdoptedAsInternalAndBadInputCostsNothing() throws Exception {
        StoreEntry.KeyEntry legacy = leaf("wso2carbon", KeyType.rsa(2048));
        byte[] jks = KeystoreCodec.write(StoreType.JKS, StoreContent.of(legacy), "wso2carbon".toCharArray());
        putSecret("legacy", Map.of("wso2carbon.jks", jks, "password", "wso2carbon".getBytes(StandardCharsets.UTF_8)));
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: apim, namespace: imports}
            spec:
              format: JKS
              primary: {alias: wso2carbon}
              tls: {alias: wso2carbon, dnsNames: [apim.imports.svc]}
              internal:
                alias: wso2carbon
                import: {keystore: {secretRef: {name: legacy, key: wso2carbon.jks},
                                    passwordSecretRef: {name: legacy, key: password}, alias: wso2carbon}}
            """, KeystoreSet.class)).create();
        RealCluster.await("apim Ready", TIMEOUT, () -> ready("apim").map(c -> "True".equals(c.getStatus())).orElse(false));
        Map<String, byte[]> good = data("apim-keystores");
        assertArrayEquals(legacy.key().getEncoded(), key(good, "internal.jks"), "the legacy key is the internal key");
        assertFalse(java.util.Arrays.equals(legacy.key().getEncoded(), key(good, "primary.jks")));

        // a wrong password in the source: Ready=False naming it, an Event, the output byte for byte the same
        putSecret("legacy", Map.of("wso2carbon.jks", jks, "password", "not-the-password".getBytes(StandardCharsets.UTF_8)));
        // the internal key is recorded, so the source is no longer needed: still Ready, nothing changes
        Thread.sleep(3000);
        assertTrue(ready("apim").map(c -> "True".equals(c.getStatus())).orElse(false));
        Map<String, byte[]> after = data("apim-keystores");
        for (String k : good.keySet()) {
            assertArrayEquals(good.get(k), after.get(k), k);
        }

        // a different key behind the import: refused, output untouched
        StoreEntry.KeyEntry other = leaf("wso2carbon", KeyType.rsa(2048));
        putSecret("legacy", Map.of("wso2carbon.jks", KeystoreCodec.write(StoreType.JKS, StoreContent.of(other),
            "wso2carbon".toCharArray()), "password", "wso2carbon".getBytes(StandardCharsets.UTF_8)));
        RealCluster.await("InternalKeyImmutable", TIMEOUT, () -> ready("apim")
            .map(c -> "InternalKeyImmutable".equals(c.getReason())).orElse(false));
        Map<String, byte[]> refused = data("apim-keystores");
        for (String k : good.keySet()) {
            assertArrayEquals(good.get(k), refused.get(k), k);
        }
        // fixed by putting the original back: Ready again by itself
        putSecret("legacy", Map.of("wso2carbon.jks", jks, "password", "wso2carbon".getBytes(StandardCharsets.UTF_8)));
        RealCluster.await("apim Ready again", TIMEOUT, () -> ready("apim").map(c -> "True".equals(c.getStatus()))
            .orElse(false));
    }

    @Test
    void aTlsSecretIsFollowedAndABrokenOneNeverOverwritesTheGoodStore() throws Exception {
        StoreEntry.KeyEntry first = leaf("web.imports.svc", KeyType.ec(256));
        putSecret("web-tls", Map.of("tls.crt", Pem.encode(first.chain().subList(0, 1)).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode(first.key()).getBytes(StandardCharsets.UTF_8),
            "ca.crt", Pem.encode(List.of(CORP.certificate())).getBytes(StandardCharsets.UTF_8)));
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: web, namespace: imports}
            spec:
              tls: {import: {secretRef: {name: web-tls}}}
            """, KeystoreSet.class)).create();
        RealCluster.await("web Ready", TIMEOUT, () -> ready("web").map(c -> "True".equals(c.getStatus())).orElse(false));
        assertArrayEquals(first.key().getEncoded(), key(data("web-keystores"), "tls.p12"));
        assertEquals(2, client.resources(KeystoreSet.class).inNamespace(NS).withName("web").get().getStatus()
            .truststore.certificates, "own CA and the Secret's ca.crt");

        // cert-manager renews: followed within seconds
        StoreEntry.KeyEntry second = leaf("web.imports.svc", KeyType.ec(256));
        putSecret("web-tls", Map.of("tls.crt", Pem.encode(second.chain().subList(0, 1)).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode(second.key()).getBytes(StandardCharsets.UTF_8)));
        RealCluster.await("the new key", TIMEOUT, () -> {
            try {
                return java.util.Arrays.equals(second.key().getEncoded(), key(data("web-keystores"), "tls.p12"));
            } catch (Exception e) {
                return false;
            }
        });

        // a key that does not match: Ready=False naming the Secret, the good store untouched, a Warning event
        Map<String, byte[]> good = data("web-keystores");
        putSecret("web-tls", Map.of("tls.crt", Pem.encode(second.chain().subList(0, 1)).getBytes(StandardCharsets.UTF_8),
            "tls.key", Pem.encode(first.key()).getBytes(StandardCharsets.UTF_8)));
        RealCluster.await("mismatch reported", TIMEOUT, () -> ready("web").map(c -> "False".equals(c.getStatus())
            && c.getMessage().contains("Secret web-tls keys tls.key and tls.crt")).orElse(false));
        Map<String, byte[]> kept = data("web-keystores");
        for (String k : good.keySet()) {
            assertArrayEquals(good.get(k), kept.get(k), k);
        }
        RealCluster.await("a Warning event", TIMEOUT, () -> client.v1().events().inNamespace(NS).list().getItems().stream()
            .anyMatch(e -> "web".equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
                && !e.getMessage().contains("PRIVATE KEY")));
    }

    static void applyExample(String file) throws Exception {
        List<io.fabric8.kubernetes.api.model.HasMetadata> items = client.load(java.nio.file.Files.newInputStream(
            RealCluster.PROJECT.resolve(file))).items();
        assertEquals(1, items.size(), file);
        client.resource(items.get(0)).create();
    }

    static Optional<Condition> ready(String ns, String name) {
        KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
        return s == null || s.getStatus() == null || s.getStatus().conditions == null ? Optional.empty()
            : s.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    @Test
    void theImportCaExampleSignsWithTheCorporateCa() throws Exception {
        cluster.createNamespace("payments");
        client.secrets().inNamespace("payments").resource(new SecretBuilder().withNewMetadata().withName("corp-ca")
            .endMetadata().withType("kubernetes.io/tls").withData(Map.of(
                "tls.crt", Base64.getEncoder().encodeToString(Pem.encode(CORP.chain()).getBytes(StandardCharsets.UTF_8)),
                "tls.key", Base64.getEncoder().encodeToString(Pem.encode(CORP.key()).getBytes(StandardCharsets.UTF_8))))
            .build()).create();
        applyExample("examples/import-ca.yaml");
        RealCluster.await("payments Ready", TIMEOUT, () -> ready("payments", "payments")
            .map(c -> "True".equals(c.getStatus())).orElse(false));
        Map<String, byte[]> out = ManagedSecret.decode(client.secrets().inNamespace("payments")
            .withName("payments-keystores").get());
        char[] pw = new String(out.get("password"), StandardCharsets.UTF_8).toCharArray();
        StoreEntry.KeyEntry tls = (StoreEntry.KeyEntry) KeystoreCodec.read(StoreType.PKCS12, out.get("tls.p12"), pw)
            .entries().get(0);
        assertEquals(CORP.certificate(), tls.chain().get(1), "signed by the corporate CA, chain included");
        tls.chain().get(0).verify(CORP.certificate().getPublicKey());
        assertEquals(List.of(CORP.certificate()), Pem.certificates(out.get("ca.crt")));

        // the corporate CA is rotated: the leaf moves to the new CA within seconds, the old CA stays trusted
        CertificateAuthority next = SIGNER.selfSignedCa(new X500Name("CN=Corp CA 2"), KeyType.ec(256).generate(
            new SecureRandom()), Duration.ofDays(365));
        client.secrets().inNamespace("payments").withName("corp-ca").edit(s -> new SecretBuilder(s).withData(Map.of(
            "tls.crt", Base64.getEncoder().encodeToString(Pem.encode(next.chain()).getBytes(StandardCharsets.UTF_8)),
            "tls.key", Base64.getEncoder().encodeToString(Pem.encode(next.key()).getBytes(StandardCharsets.UTF_8))))
            .build());
        RealCluster.await("leaf from the new CA", TIMEOUT, () -> {
            try {
                Map<String, byte[]> now = ManagedSecret.decode(client.secrets().inNamespace("payments")
                    .withName("payments-keystores").get());
                return ((StoreEntry.KeyEntry) KeystoreCodec.read(StoreType.PKCS12, now.get("tls.p12"), pw).entries().get(0))
                    .chain().get(1).equals(next.certificate());
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, byte[]> moved = ManagedSecret.decode(client.secrets().inNamespace("payments")
            .withName("payments-keystores").get());
        List<java.security.cert.Certificate> trusted = new java.util.ArrayList<>();
        KeystoreCodec.read(StoreType.PKCS12, moved.get("truststore.p12"), pw).entries()
            .forEach(e -> trusted.add(((StoreEntry.TrustedEntry) e).certificate()));
        assertTrue(trusted.contains(CORP.certificate()) && trusted.contains(next.certificate()),
            "old and new CA trusted during the overlap");
    }

    @Test
    void theAdoptLegacyExampleKeepsTheKeyKeytoolMadeForeverAndGivesFreshPrimaryAndTls(
        @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // the legacy store, made the way the seeds make it: keytool -genkeypair, JKS
        String legacyPassword = "legacy-" + java.util.HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        var made = dev.keystore.operator.testing.Tools.run(dir, Map.of("KS_PASS", legacyPassword), "keytool", "-genkeypair",
            "-alias", "wso2carbon", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650", "-storetype", "JKS",
            "-keystore", "wso2carbon.jks", "-storepass:env", "KS_PASS", "-keypass:env", "KS_PASS",
            "-dname", "CN=localhost, O=WSO2, L=Mountain View, ST=CA, C=US");
        assertEquals(0, made.exitCode(), made.output());
        byte[] jks = java.nio.file.Files.readAllBytes(dir.resolve("wso2carbon.jks"));
        byte[] legacyKey = KeystoreCodec.read(StoreType.JKS, jks, legacyPassword.toCharArray()).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow();

        cluster.createNamespace("wso2");
        client.secrets().inNamespace("wso2").resource(new SecretBuilder().withNewMetadata().withName("legacy-wso2carbon")
            .endMetadata().withData(Map.of("wso2carbon.jks", Base64.getEncoder().encodeToString(jks),
                "password", Base64.getEncoder().encodeToString(legacyPassword.getBytes(StandardCharsets.UTF_8))))
            .build()).create();
        applyExample("examples/adopt-legacy-wso2.yaml");
        RealCluster.await("apim Ready", TIMEOUT, () -> ready("wso2", "apim").map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        Map<String, byte[]> out = ManagedSecret.decode(client.secrets().inNamespace("wso2").withName("apim-keystores").get());
        assertArrayEquals(legacyKey, key(out, "internal_keystore.jks"), "the legacy key encrypts on as the internal key");
        assertFalse(java.util.Arrays.equals(legacyKey, key(out, "wso2carbon.jks")), "a fresh primary key");
        assertFalse(java.util.Arrays.equals(legacyKey, key(out, "tls_keystore.jks")), "a fresh tls key");
        java.nio.file.Files.write(dir.resolve("internal.jks"), out.get("internal_keystore.jks"));
        var listed = dev.keystore.operator.testing.Tools.keytoolList(dir.resolve("internal.jks"), "JKS",
            new String(out.get("password"), StandardCharsets.UTF_8));
        assertEquals(0, listed.exitCode(), "keytool reads the adopted store");
        assertTrue(listed.output().contains("wso2carbon"));

        // the legacy Secret deleted, the output Secret deleted by hand: the internal key comes back the same
        client.secrets().inNamespace("wso2").withName("legacy-wso2carbon").delete();
        client.secrets().inNamespace("wso2").withName("apim-keystores").delete();
        RealCluster.await("apim-keystores rebuilt", TIMEOUT, () -> {
            var again = client.secrets().inNamespace("wso2").withName("apim-keystores").get();
            return again != null && again.getData() != null && again.getData().containsKey("internal_keystore.jks");
        });
        Map<String, byte[]> rebuilt = ManagedSecret.decode(client.secrets().inNamespace("wso2").withName("apim-keystores")
            .get());
        assertArrayEquals(legacyKey, key(rebuilt, "internal_keystore.jks"), "still the legacy key");
        assertTrue(ready("wso2", "apim").map(c -> "True".equals(c.getStatus())).orElse(false));
    }
}
