package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.testing.TlsPeers;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.net.ssl.SSLContext;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The three seed products, each from its example file applied to a real API server with the
 * operator running, and each store proven by what it is for: TLS, mTLS, WSO2's cipher tool.
 */
class ProductScenariosIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static RealCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("ProductScenariosIT");
        client = cluster.client();
        for (String ns : List.of("wso2", "zowe", "zosconnect")) {
            cluster.createNamespace(ns);
        }
        cluster.startOperator("ProductScenariosIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Creates every resource of an example file, as kubectl apply -f would; returns ms to all sets Ready. */
    static long apply(String example) throws Exception {
        long started = System.nanoTime();
        List<HasMetadata> items = client.load(Files.newInputStream(RealCluster.PROJECT.resolve(example))).items();
        for (HasMetadata item : items) {
            client.resource(item).create();
        }
        for (HasMetadata item : items) {
            if ("KeystoreSet".equals(item.getKind())) {
                awaitReady(item.getMetadata().getNamespace(), item.getMetadata().getName());
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[measure] %s apply to Ready: %d ms%n", example, ms);
        return ms;
    }

    static KeystoreSet awaitReady(String ns, String name) {
        RealCluster.await(ns + "/" + name + " Ready", TIMEOUT, () -> ready(ns, name).map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        return client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
    }

    static Optional<Condition> ready(String ns, String name) {
        KeystoreSet set = client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
        if (set == null || set.getStatus() == null || set.getStatus().conditions == null) {
            return Optional.empty();
        }
        return set.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static Map<String, byte[]> data(String ns, String secret) {
        Secret s = client.secrets().inNamespace(ns).withName(secret).get();
        assertNotNull(s, "Secret " + ns + "/" + secret);
        return ManagedSecret.decode(s);
    }

    /** Every PKCS12 in the Secret is read by openssl 3 without -legacy, every JKS by keytool. */
    static void interop(Map<String, byte[]> data, Path dir) throws Exception {
        String pw = new String(data.get("password"), StandardCharsets.UTF_8);
        int stores = 0;
        for (var e : data.entrySet()) {
            if (!e.getKey().endsWith(".p12") && !e.getKey().endsWith(".jks")) {
                continue;
            }
            Path f = dir.resolve(e.getKey());
            Files.write(f, e.getValue());
            Tools.Run run = e.getKey().endsWith(".p12") ? Tools.opensslPkcs12Info(f, pw) : Tools.keytoolList(f, "JKS", pw);
            assertEquals(0, run.exitCode(), e.getKey() + ": " + run.output());
            stores++;
        }
        assertTrue(stores >= 2, "stores checked: " + stores);
    }

    static char[] password(Map<String, byte[]> data) {
        return new String(data.get("password"), StandardCharsets.UTF_8).toCharArray();
    }

    /** A client identity from a CA that nobody trusts. */
    static KeyStore foreignIdentity(char[] password) throws Exception {
        var signer = new dev.keystore.operator.crypto.Signer(java.time.Clock.systemUTC(), new java.security.SecureRandom());
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair caPair = gen.generateKeyPair();
        var ca = signer.selfSignedCa(new org.bouncycastle.asn1.x500.X500Name("CN=Foreign CA"), caPair, Duration.ofDays(30));
        KeyPair leaf = gen.generateKeyPair();
        var profile = new dev.keystore.operator.crypto.CertificateProfile(
            new org.bouncycastle.asn1.x500.X500Name("CN=intruder"), Set.of("localhost"), Set.of(),
            org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment,
            Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), false);
        List<X509Certificate> chain = signer.issue(ca, profile, leaf.getPublic(), Duration.ofDays(1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        ks.setKeyEntry("intruder", leaf.getPrivate(), password, chain.toArray(Certificate[]::new));
        return ks;
    }

    @Test
    void wso2ApiManager(@TempDir Path dir) throws Exception {
        apply("examples/wso2-apim.yaml");
        Map<String, byte[]> data = data("wso2", "apim-keystores");
        char[] pw = password(data);
        interop(data, dir);

        // deployment.toml, parsed by a real TOML parser, names exactly what the Secret holds
        TomlParseResult toml = Toml.parse(new String(data.get("deployment.toml"), StandardCharsets.UTF_8));
        assertFalse(toml.hasErrors(), () -> toml.errors().toString());
        Map<String, String> files = Map.of("keystore.primary", "wso2carbon.jks", "keystore.tls", "tls_keystore.jks",
            "keystore.internal", "internal_keystore.jks", "truststore", "client-truststore.jks");
        for (var e : files.entrySet()) {
            TomlTable table = toml.getTable(e.getKey());
            assertNotNull(table, e.getKey());
            assertEquals(e.getValue(), table.getString("file_name"), e.getKey());
            assertTrue(data.containsKey(table.getString("file_name")), e.getKey());
            assertEquals("JKS", table.getString("type"), e.getKey());
            assertEquals("$env{KEYSTORE_PASSWORD}", table.getString("password"), e.getKey());
            if (!e.getKey().equals("truststore")) {
                assertEquals("wso2carbon", table.getString("alias"));
                assertEquals(table.getString("password"), table.getString("key_password"), "key_password == password");
                KeyStore ks = TlsPeers.load(data.get(table.getString("file_name")), "JKS", pw);
                assertTrue(ks.isKeyEntry(table.getString("alias")), e.getKey());
            }
        }
        assertFalse(new String(data.get("deployment.toml"), StandardCharsets.UTF_8).contains(new String(pw)));

        // WSO2's cipher tool: Cipher "RSA" initialised with the certificate, decrypted with the key
        for (String store : List.of("wso2carbon.jks", "internal_keystore.jks")) {
            KeyStore ks = TlsPeers.load(data.get(store), "JKS", pw);
            Cipher encrypt = Cipher.getInstance("RSA");
            encrypt.init(Cipher.ENCRYPT_MODE, ks.getCertificate("wso2carbon"));
            byte[] secret = encrypt.doFinal("admin-password".getBytes(StandardCharsets.UTF_8));
            Cipher decrypt = Cipher.getInstance("RSA");
            decrypt.init(Cipher.DECRYPT_MODE, (PrivateKey) ks.getKey("wso2carbon", pw));
            assertArrayEquals("admin-password".getBytes(StandardCharsets.UTF_8), decrypt.doFinal(secret), store);
        }

        // the tls keystore serves TLS to a client that trusts the client truststore and checks the host
        KeyStore trust = TlsPeers.load(data.get("client-truststore.jks"), "JKS", pw);
        KeyStore tls = TlsPeers.load(data.get("tls_keystore.jks"), "JKS", pw);
        try (var server = new TlsPeers.Server(TlsPeers.context(tls, pw, null), false)) {
            SSLContext trusting = TlsPeers.context(null, null, trust);
            assertEquals("hello anonymous", TlsPeers.call(trusting, "apim.example.com", server.port()));
            assertEquals("hello anonymous", TlsPeers.call(trusting, "apim.wso2.svc.cluster.local", server.port()));
            assertThrows(javax.net.ssl.SSLHandshakeException.class,
                () -> TlsPeers.call(trusting, "other.example.com", server.port()), "host name must be verified");
            SSLContext untrusting = TlsPeers.context(null, null, foreignTrust());
            assertThrows(javax.net.ssl.SSLHandshakeException.class,
                () -> TlsPeers.call(untrusting, "apim.example.com", server.port()));

            // openssl s_client, a real process, verifies the chain with ca.crt and the host name
            Path ca = dir.resolve("ca.crt");
            Files.write(ca, data.get("ca.crt"));
            Tools.Run sClient = Tools.run(null, Map.of(), "bash", "-c", "openssl s_client -connect 127.0.0.1:"
                + server.port() + " -servername apim.example.com -verify_hostname apim.example.com -CAfile " + ca
                + " -verify_return_error </dev/null");
            assertEquals(0, sClient.exitCode(), sClient.output());
            assertTrue(sClient.output().contains("Verify return code: 0 (ok)"), sClient.output());
        }
    }

    static KeyStore foreignTrust() throws Exception {
        KeyStore foreign = foreignIdentity("x".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate[] chain = foreign.getCertificateChain("intruder");
        trust.setCertificateEntry("foreign-ca", chain[chain.length - 1]);
        return trust;
    }

    @Test
    void zowe(@TempDir Path dir) throws Exception {
        apply("examples/zowe.yaml");
        Map<String, byte[]> data = data("zowe", "zowe-keystore");
        char[] pw = password(data);
        interop(data, Files.createDirectories(dir.resolve("interop")));

        // the server certificate is both server (northbound) and client (southbound)
        KeyStore ks = TlsPeers.load(data.get("localhost.keystore.p12"), "PKCS12", pw);
        X509Certificate cert = (X509Certificate) ks.getCertificate("localhost");
        assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertTrue(cert.getKeyUsage()[2], "keyEncipherment");
        assertTrue(TlsPeers.load(data.get("jwtsecret.p12"), "PKCS12", pw).isKeyEntry("jwtsecret"));

        // the truststore holds the set's CA and the z/OSMF CA from the TrustBundle
        KeyStore trust = TlsPeers.load(data.get("localhost.truststore.p12"), "PKCS12", pw);
        List<String> subjects = Collections.list(trust.aliases()).stream()
            .map(a -> ((X509Certificate) uncheckedCert(trust, a)).getSubjectX500Principal().getName()).sorted().toList();
        assertEquals(2, subjects.size(), subjects.toString());
        assertTrue(subjects.stream().anyMatch(s -> s.contains("z/OSMF CA")), subjects.toString());
        assertTrue(subjects.stream().anyMatch(s -> s.contains("Zowe Development Instances")), subjects.toString());

        // the env file, sourced by bash, names files that exist in the rendered directory
        Path root = dir.resolve("global/zowe/keystore");
        Files.createDirectories(root);
        for (var e : data.entrySet()) {
            Files.write(root.resolve(e.getKey()), e.getValue());
        }
        String env = new String(data.get("zowe-certificates.env"), StandardCharsets.UTF_8)
            .replace("/global/zowe/keystore", root.toString());
        Path envFile = dir.resolve("zowe-certificates.env");
        Files.writeString(envFile, env);
        Tools.Run sourced = Tools.run(null, Map.of(), "bash", "-c", "set -eu; . " + envFile + "; for v in KEYSTORE TRUSTSTORE "
            + "KEYSTORE_CERTIFICATE KEYSTORE_CERTIFICATE_AUTHORITY KEYSTORE_KEY; do test -f \"${!v}\" || { echo missing $v; exit 1; }; done; "
            + "echo \"$KEYSTORE_TYPE $KEY_ALIAS $VERIFY_CERTIFICATES $NONSTRICT_VERIFY_CERTIFICATES\"");
        assertEquals(0, sourced.exitCode(), sourced.output());
        assertEquals("PKCS12 localhost true false", sourced.output().strip());

        // Zowe's southbound edge: its keystore authenticates as a client to a service that trusts its CA
        try (var server = new TlsPeers.Server(TlsPeers.context(ks, pw, trust), true)) {
            String answer = TlsPeers.call(TlsPeers.context(ks, pw, trust), "localhost", server.port());
            assertTrue(answer.startsWith("hello CN=Zowe Service"), answer);
        }
    }

    static Certificate uncheckedCert(KeyStore ks, String alias) {
        try {
            return ks.getCertificate(alias);
        } catch (java.security.KeyStoreException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void libertyMutualTls(@TempDir Path dir) throws Exception {
        apply("examples/liberty-mtls.yaml");
        String ns = "zosconnect";
        Map<String, byte[]> server = data(ns, "zosconnect-server-keystores");
        Map<String, byte[]> clientData = data(ns, "zosconnect-client-keystores");
        char[] spw = password(server);
        char[] cpw = password(clientData);
        interop(server, Files.createDirectories(dir.resolve("server")));
        interop(clientData, Files.createDirectories(dir.resolve("client")));

        // server.xml as emitted: keyStore elements naming the Secret's files, ssl requiring client auth
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(server.get("server.xml")));
        Map<String, Element> keyStores = new HashMap<>();
        var nodes = xml.getElementsByTagName("keyStore");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            keyStores.put(e.getAttribute("id"), e);
            String file = Path.of(e.getAttribute("location")).getFileName().toString();
            assertTrue(server.containsKey(file), file);
            assertEquals("PKCS12", e.getAttribute("type"));
            assertEquals("${env.KEYSTORE_PASSWORD}", e.getAttribute("password"));
        }
        Element ssl = (Element) xml.getElementsByTagName("ssl").item(0);
        assertEquals("true", ssl.getAttribute("clientAuthentication"));
        assertTrue(keyStores.containsKey(ssl.getAttribute("keyStoreRef")));
        assertTrue(keyStores.containsKey(ssl.getAttribute("trustStoreRef")));
        assertEquals("zosconnect", ssl.getAttribute("serverKeyAlias"));

        KeyStore serverKeys = TlsPeers.load(server.get("key.p12"), "PKCS12", spw);
        KeyStore serverTrust = TlsPeers.load(server.get("trust.p12"), "PKCS12", spw);
        KeyStore clientKeys = TlsPeers.load(clientData.get("clientKey.p12"), "PKCS12", cpw);
        KeyStore clientTrust = TlsPeers.load(clientData.get("clientTrust.p12"), "PKCS12", cpw);
        try (var tls = new TlsPeers.Server(TlsPeers.context(serverKeys, spw, serverTrust), true)) {
            String answer = TlsPeers.call(TlsPeers.context(clientKeys, cpw, clientTrust), "zosconnect.example.com", tls.port());
            assertTrue(answer.startsWith("hello CN=api-gateway"), answer);
            char[] x = "x".toCharArray();
            SSLContext intruder = TlsPeers.context(foreignIdentity(x), x, clientTrust);
            assertThrows(java.io.IOException.class, () -> TlsPeers.call(intruder, "zosconnect.example.com", tls.port()));
            SSLContext anonymous = TlsPeers.context(null, null, clientTrust);
            assertThrows(java.io.IOException.class, () -> TlsPeers.call(anonymous, "zosconnect.example.com", tls.port()));
        }
    }

    @Test
    void missingReferencesAreReportedAndResolveByThemselves() throws Exception {
        String ns = "default";
        KeystoreSet waiting = client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: waiting, namespace: default}
            spec:
              issuer: {keystoreSetRef: {name: late-ca}}
              tls: {dnsNames: [waiting.default.svc]}
              truststore: {trustBundleRefs: [{name: late-bundle}]}
            """, KeystoreSet.class);
        client.resource(waiting).create();
        RealCluster.await("waiting names late-ca", TIMEOUT, () -> ready(ns, "waiting")
            .map(c -> "False".equals(c.getStatus()) && c.getMessage().contains("late-ca")).orElse(false));

        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: late-ca, namespace: default}
            spec:
              tls: {dnsNames: [late.default.svc]}
            """, KeystoreSet.class)).create();
        RealCluster.await("waiting names late-bundle", TIMEOUT, () -> ready(ns, "waiting")
            .map(c -> "False".equals(c.getStatus()) && c.getMessage().contains("TrustBundle late-bundle")).orElse(false));

        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: late-bundle, namespace: default}
            spec:
              sources:
              - secret: {name: late-pem, key: ca.crt}
            """, dev.keystore.operator.api.v1alpha1.TrustBundle.class)).create();
        RealCluster.await("waiting names late-pem", TIMEOUT, () -> ready(ns, "waiting")
            .map(c -> "False".equals(c.getStatus()) && c.getMessage().contains("Secret late-pem")).orElse(false));

        byte[] pem = data(ns, "late-ca-keystores").get("ca.crt");
        client.secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
            .withName("late-pem").endMetadata().addToStringData("ca.crt", new String(pem, StandardCharsets.UTF_8)).build())
            .create();
        KeystoreSet ready = awaitReady(ns, "waiting");
        assertEquals(1, ready.getStatus().truststore.certificates, "the late CA and the bundle are the same certificate");
        assertEquals(new String(pem, StandardCharsets.UTF_8),
            new String(data(ns, "waiting-keystores").get("ca.crt"), StandardCharsets.UTF_8), "signed by late-ca");
    }
}
