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
}
