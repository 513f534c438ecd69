package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.SystemTrust;
import dev.keystore.operator.testing.TlsPeers;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrustBundles on a real API server: every source kind, propagation, no churn, interop, a real handshake. */
class TrustBundleIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static RealCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("TrustBundleIT");
        client = cluster.client();
        cluster.createNamespace("tb");
        cluster.startOperator("TrustBundleIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Optional<Condition> condition(String ns, String name, String type) {
        TrustBundle b = client.resources(TrustBundle.class).inNamespace(ns).withName(name).get();
        if (b == null || b.getStatus() == null || b.getStatus().conditions == null) {
            return Optional.empty();
        }
        return b.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static TrustBundle awaitReady(String ns, String name) {
        RealCluster.await(name + " Ready", TIMEOUT, () -> condition(ns, name, "Ready").map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        return client.resources(TrustBundle.class).inNamespace(ns).withName(name).get();
    }

    static Map<String, byte[]> data(String ns, String name) {
        return ManagedSecret.decode(client.secrets().inNamespace(ns).withName(name).get());
    }

    @Test
    void theExampleBundleIsReadByKeytoolAndOpenssl(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        for (HasMetadata item : client.load(Files.newInputStream(RealCluster.PROJECT.resolve("examples/trustbundle.yaml")))
            .items()) {
            client.resource(item).create();
        }
        TrustBundle bundle = awaitReady("default", "corp-roots");
        System.out.printf("[measure] examples/trustbundle.yaml (3 CAs + %d JDK CAs) apply to Ready: %d ms%n",
            SystemTrust.certificates().size(), (System.nanoTime() - started) / 1_000_000);
        int expected = 3 + SystemTrust.certificates().size();
        assertEquals(expected, bundle.getStatus().certificates);
        assertEquals(expected, bundle.getStatus().entries.size());
        assertTrue(bundle.getStatus().entries.stream().anyMatch(e -> e.subject.contains("z/OSMF CA")));
        assertTrue(condition("default", "corp-roots", "ExpiringSoon").isPresent());

        Map<String, byte[]> data = data("default", "corp-roots");
        assertEquals(Set.of("truststore.p12", "truststore.jks", "ca-bundle.pem", "password"), data.keySet());
        String pw = new String(data.get("password"), StandardCharsets.UTF_8);
        Path jks = dir.resolve("truststore.jks");
        Files.write(jks, data.get("truststore.jks"));
        Tools.Run list = Tools.keytoolList(jks, "JKS", pw);
        assertEquals(0, list.exitCode());
        assertEquals(expected, list.output().split("Entry type: trustedCertEntry", -1).length - 1);
        Path p12 = dir.resolve("truststore.p12");
        Files.write(p12, data.get("truststore.p12"));
        assertEquals(0, Tools.opensslPkcs12Info(p12, pw).exitCode());
        assertEquals(expected, Pem.certificates(data.get("ca-bundle.pem")).size());

        // resync: nothing rewritten
        String rv = client.secrets().inNamespace("default").withName("corp-roots").get().getMetadata().getResourceVersion();
        RealCluster.edit(client.resources(TrustBundle.class).inNamespace("default").withName("corp-roots"), b -> {
            b.getMetadata().setAnnotations(Map.of("poke", "1"));
            return b;
        });
        Thread.sleep(3000);
        assertEquals(rv, client.secrets().inNamespace("default").withName("corp-roots").get().getMetadata()
            .getResourceVersion());
    }

    @Test
    void aCaFromAConfigMapIsTrustedAndItsChangesPropagate() throws Exception {
        Signer signer = new Signer(Clock.systemUTC(), new SecureRandom());
        KeyPair caKeys = dev.keystore.operator.crypto.KeyType.ec(256).generate(new SecureRandom());
        var ca = signer.selfSignedCa(new X500Name("CN=Partner CA"), caKeys, Duration.ofDays(30));
        client.configMaps().inNamespace("tb").resource(new ConfigMapBuilder().withNewMetadata().withName("partner")
            .endMetadata().addToData("ca.pem", Pem.encode(ca.chain())).build()).create();
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: partners, namespace: tb}
            spec:
              sources: [{configMap: {name: partner, key: ca.pem}}]
              target: {formats: [JKS]}
            """, TrustBundle.class)).create();
        awaitReady("tb", "partners");
        Map<String, byte[]> data = data("tb", "partners");
        char[] pw = new String(data.get("password"), StandardCharsets.UTF_8).toCharArray();

        // a server with a certificate from that CA is verified by a client using the bundle's JKS
        KeyPair leaf = dev.keystore.operator.crypto.KeyType.ec(256).generate(new SecureRandom());
        List<X509Certificate> chain = signer.issue(ca, new CertificateProfile(new X500Name("CN=partner.example"),
            Set.of("partner.example"), Set.of(), org.bouncycastle.asn1.x509.KeyUsage.digitalSignature,
            Set.of("1.3.6.1.5.5.7.3.1"), false), leaf.getPublic(), Duration.ofDays(1));
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        serverKeys.load(null, null);
        serverKeys.setKeyEntry("server", leaf.getPrivate(), "k".toCharArray(), chain.toArray(Certificate[]::new));
        try (var server = new TlsPeers.Server(TlsPeers.context(serverKeys, "k".toCharArray(), null), false)) {
            var trust = TlsPeers.load(data.get("truststore.jks"), "JKS", pw);
            assertEquals("hello anonymous", TlsPeers.call(TlsPeers.context(null, null, trust), "partner.example",
                server.port()));
        }

        // a KeystoreSet trusting the bundle follows a change of the ConfigMap, without a restart
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: consumer, namespace: tb}
            spec:
              tls: {}
              truststore: {trustBundleRefs: [{name: partners}]}
            """, KeystoreSet.class)).create();
        RealCluster.await("consumer trusts 2", TIMEOUT, () -> {
            KeystoreSet s = client.resources(KeystoreSet.class).inNamespace("tb").withName("consumer").get();
            return s.getStatus() != null && s.getStatus().truststore != null && s.getStatus().truststore.certificates == 2;
        });
        var second = signer.selfSignedCa(new X500Name("CN=Second Partner CA"),
            dev.keystore.operator.crypto.KeyType.ec(256).generate(new SecureRandom()), Duration.ofDays(30));
        client.configMaps().inNamespace("tb").withName("partner").edit(cm -> {
            cm.setData(Map.of("ca.pem", Pem.encode(List.of(ca.certificate(), second.certificate()))));
            return cm;
        });
        RealCluster.await("bundle holds 2", TIMEOUT, () -> client.resources(TrustBundle.class).inNamespace("tb")
            .withName("partners").get().getStatus().certificates == 2);
        RealCluster.await("consumer trusts 3", TIMEOUT, () -> client.resources(KeystoreSet.class).inNamespace("tb")
            .withName("consumer").get().getStatus().truststore.certificates == 3);

        // a private key in the source: refused, the last good Secret stays
        byte[] before = data("tb", "partners").get("truststore.jks");
        client.configMaps().inNamespace("tb").withName("partner").edit(cm -> {
            cm.setData(Map.of("ca.pem", Pem.encode(ca.chain()) + Pem.encode(ca.key())));
            return cm;
        });
        RealCluster.await("refused", TIMEOUT, () -> condition("tb", "partners", "Ready")
            .map(c -> "False".equals(c.getStatus()) && c.getMessage().contains("holds a private key")).orElse(false));
        assertTrue(java.util.Arrays.equals(before, data("tb", "partners").get("truststore.jks")));
    }
}
