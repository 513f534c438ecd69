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
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6's bad-input matrix on a real API server. One set reads three inputs: a corporate CA
 * Secret (issuer), a tls Secret (tls import) and a JKS in a Secret (primary import). Each case breaks
 * one input; each must give Ready=False with its reason and a message naming the Secret and key, a
 * Warning Event, the output Secret unchanged byte for byte, and Ready again by itself once the input
 * is put back. At the end the operator's log, the Events and the status are scanned for key
 * material and passwords.
 */
class BadInputMatrixIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String NS = "matrix";
    static final String SET = "matrix";
    static final String OUTPUT = "matrix-keystores";
    static final SecureRandom RANDOM = new SecureRandom();
    static final Signer SIGNER = new Signer(Clock.systemUTC(), RANDOM);
    static final String STORE_PASSWORD = "ks-" + HexFormat.of().formatHex(RANDOM.generateSeed(12));
    static final List<PrivateKey> KEYS = new ArrayList<>();

    static RealCluster cluster;
    static KubernetesClient client;
    static Path operatorLog;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("BadInputMatrixIT");
        client = cluster.client();
        cluster.createNamespace(NS);
        operatorLog = cluster.startOperator("BadInputMatrixIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One broken input: which Secret, its data (null: deleted), and what the status must say. */
    record Case(String name, String secret, Map<String, byte[]> data, String reason, List<String> mentions) {
    }

    static CertificateAuthority ca(String cn, Instant from, Duration validity) {
        KeyPair keys = KeyType.ec(256).generate(RANDOM);
        KEYS.add(keys.getPrivate());
        return new Signer(Clock.fixed(from, ZoneOffset.UTC), RANDOM).selfSignedCa(new X500Name("CN=" + cn), keys, validity);
    }

    static KeyPair rsa(int bits) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        KeyPair keys = g.generateKeyPair();
        KEYS.add(keys.getPrivate());
        return keys;
    }

    static KeyPair p521() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
        KeyPair keys = g.generateKeyPair();
        KEYS.add(keys.getPrivate());
        return keys;
    }

    static StoreEntry.KeyEntry leaf(CertificateAuthority ca, String cn, KeyType type) {
        KeyPair keys = type.generate(RANDOM);
        KEYS.add(keys.getPrivate());
        List<X509Certificate> chain = SIGNER.issue(ca, new CertificateProfile(new X500Name("CN=" + cn), Set.of(cn), Set.of(),
            KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment, Set.of("1.3.6.1.5.5.7.3.1",
                "1.3.6.1.5.5.7.3.2"), false), keys.getPublic(), Duration.ofDays(30));
        return new StoreEntry.KeyEntry("signer", keys.getPrivate(), chain);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> tlsData(List<X509Certificate> chain, PrivateKey key) {
        return Map.of("tls.crt", utf8(Pem.encode(chain)), "tls.key", utf8(Pem.encode(key)));
    }

    static Map<String, byte[]> with(Map<String, byte[]> base, String key, byte[] value) {
        Map<String, byte[]> copy = new LinkedHashMap<>(base);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    static String encrypted(PrivateKey key) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(
                JcaPKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setRandom(RANDOM).setPassword(STORE_PASSWORD.toCharArray()).build()));
        }
        return out.toString();
    }

    static void put(String name, Map<String, byte[]> data) {
        if (data == null) {
            client.secrets().inNamespace(NS).withName(name).delete();
            RealCluster.await(name + " gone", TIMEOUT, () -> client.secrets().inNamespace(NS).withName(name).get() == null);
            return;
        }
        Map<String, String> b64 = new HashMap<>();
        data.forEach((k, v) -> b64.put(k, Base64.getEncoder().encodeToString(v)));
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
            .withData(b64).build()).createOr(op -> op.update());
    }

    static Optional<Condition> ready() {
        KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(SET).get();
        return s == null || s.getStatus() == null || s.getStatus().conditions == null ? Optional.empty()
            : s.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static Map<String, byte[]> output() {
        return ManagedSecret.decode(client.secrets().inNamespace(NS).withName(OUTPUT).get());
    }

    static void assertSameOutput(Map<String, byte[]> expected, String when) {
        Map<String, byte[]> now = output();
        assertEquals(expected.keySet(), now.keySet(), when);
        expected.forEach((k, v) -> assertArrayEquals(v, now.get(k), when + ": " + k));
    }

    @Test
    void everyBadInputIsNamedCostsNothingAndHealsByItself() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority corp = ca("Corp Issuing CA", now.minus(Duration.ofDays(1)), Duration.ofDays(3650));
        StoreEntry.KeyEntry web = leaf(corp, "web.matrix.svc", KeyType.ec(256));
        StoreEntry.KeyEntry signer = leaf(corp, "signer", KeyType.rsa(2048));
        Map<String, byte[]> goodCa = tlsData(corp.chain(), corp.key());
        Map<String, byte[]> goodTls = tlsData(web.chain(), web.key());
        byte[] jks = KeystoreCodec.write(StoreType.JKS, StoreContent.of(signer), STORE_PASSWORD.toCharArray());
        Map<String, byte[]> goodKs = Map.of("store.jks", jks, "password", utf8(STORE_PASSWORD));
        put("m-ca", goodCa);
        put("m-tls", goodTls);
        put("m-ks", goodKs);
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: matrix, namespace: matrix}
            spec:
              format: JKS
              issuer: {ca: {secretRef: {name: m-ca}}}
              primary:
                import: {keystore: {secretRef: {name: m-ks, key: store.jks},
                                    passwordSecretRef: {name: m-ks, key: password}, alias: signer}}
              tls:
                privateKey: {algorithm: EC, size: 256}
                import: {secretRef: {name: m-tls}}
              internal: {alias: internal}
            """, KeystoreSet.class)).create();
        RealCluster.await("matrix Ready", Duration.ofSeconds(120), () -> ready().map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        Map<String, byte[]> good = output();

        // inputs to break with
        CertificateAuthority unrelated = ca("Unrelated CA", now.minus(Duration.ofDays(1)), Duration.ofDays(3650));
        StoreEntry.KeyEntry rsaWeb = leaf(corp, "web.matrix.svc", KeyType.rsa(2048));
        StoreEntry.KeyEntry notCa = leaf(corp, "not-a-ca", KeyType.ec(256));
        CertificateAuthority expired = ca("Expired CA", now.minus(Duration.ofDays(40)), Duration.ofDays(30));
        CertificateAuthority endingSoon = ca("Ending CA", now.minus(Duration.ofDays(355)), Duration.ofDays(365));
        // CAs made elsewhere with what we do not sign with: a weak key, a SHA-1 signature
        KeyPair rsa1024 = rsa(1024);
        CertificateAuthority smallCa = new CertificateAuthority(rsa1024.getPrivate(),
            List.of(dev.keystore.operator.crypto.TestKeys.foreignCa(rsa1024, "SHA256withRSA", "Small CA")));
        KeyPair rsa2048 = rsa(2048);
        CertificateAuthority sha1Ca = new CertificateAuthority(rsa2048.getPrivate(),
            List.of(dev.keystore.operator.crypto.TestKeys.foreignCa(rsa2048, "SHA1withRSA", "SHA-1 CA")));
        String garbage = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n";
        List<X509Certificate> brokenChain = List.of(web.chain().get(0), unrelated.certificate());
        byte[] p12 = KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(signer), STORE_PASSWORD.toCharArray());
        byte[] noAlias = KeystoreCodec.write(StoreType.JKS, StoreContent.of(new StoreEntry.KeyEntry("other",
            signer.key(), signer.chain())), STORE_PASSWORD.toCharArray());
        byte[] aliasCertOnly = KeystoreCodec.write(StoreType.JKS, new StoreContent(List.of(
            new StoreEntry.TrustedEntry("signer", signer.chain().get(0)))), STORE_PASSWORD.toCharArray());

        List<Case> cases = List.of(
            // the tls Secret followed by the tls slot
            new Case("missing Secret", "m-tls", null, "MissingInput", List.of("Secret m-tls", "does not exist")),
            new Case("missing key", "m-tls", with(goodTls, "tls.key", null), "MissingInput", List.of("Secret m-tls", "tls.key")),
            new Case("empty value", "m-tls", with(goodTls, "tls.crt", new byte[0]), "MissingInput",
                List.of("Secret m-tls", "non-empty key tls.crt")),
            new Case("not PEM", "m-tls", with(goodTls, "tls.crt", utf8("just some text\n")), "BadInput",
                List.of("Secret m-tls key tls.crt")),
            new Case("PEM with a garbage body", "m-tls", with(goodTls, "tls.crt", utf8(garbage)), "BadInput",
                List.of("Secret m-tls key tls.crt")),
            new Case("certificate without key", "m-tls", with(goodTls, "tls.key", utf8(Pem.encode(web.chain()))),
                "BadInput", List.of("Secret m-tls key tls.key")),
            new Case("key not matching", "m-tls", tlsData(web.chain(), signer.key()), "BadInput",
                List.of("Secret m-tls keys tls.key and tls.crt", "does not match")),
            new Case("RSA where EC is declared", "m-tls", tlsData(rsaWeb.chain(), rsaWeb.key()), "BadInput",
                List.of("Secret m-tls keys tls.key and tls.crt", "spec.tls.privateKey.algorithm is EC")),
            new Case("broken chain", "m-tls", tlsData(brokenChain, web.key()), "BadInput",
                List.of("Secret m-tls keys tls.key and tls.crt", "chain is broken")),
            // the issuer
            new Case("issuer not a CA", "m-ca", tlsData(notCa.chain().subList(0, 1), notCa.key()), "BadInput",
                List.of("Secret m-ca key tls.crt", "not a CA certificate")),
            new Case("expired issuer", "m-ca", tlsData(expired.chain(), expired.key()), "BadInput",
                List.of("Secret m-ca key tls.crt", "expired")),
            new Case("issuer ending before the leaf", "m-ca", tlsData(endingSoon.chain(), endingSoon.key()), "BadInput",
                List.of("Secret m-ca key tls.crt", "spec.internal.duration", "renew that CA")),
            new Case("RSA-1024 issuer", "m-ca", tlsData(smallCa.chain(), smallCa.key()), "BadInput",
                List.of("Secret m-ca key tls.crt", "RSA 1024 key", "RSA of 2048 to 8192 bits")),
            new Case("SHA-1 issuer", "m-ca", tlsData(sha1Ca.chain(), sha1Ca.key()), "BadInput",
                List.of("Secret m-ca key tls.crt", "signed with SHA1withRSA")),
            new Case("encrypted PKCS#8 issuer key", "m-ca", with(goodCa, "tls.key", utf8(encrypted(corp.key()))),
                "BadInput", List.of("Secret m-ca key tls.key", "encrypted private key")),
            new Case("issuer key not matching", "m-ca", with(goodCa, "tls.key", utf8(Pem.encode(unrelated.key()))),
                "BadInput", List.of("Secret m-ca", "tls.key", "does not match")),
            // the keystore adopted as primary
            new Case("wrong password", "m-ks", with(goodKs, "password", utf8("not-" + STORE_PASSWORD)), "BadInput",
                List.of("Secret m-ks key store.jks", "password is wrong")),
            new Case("keystore without the alias", "m-ks", with(goodKs, "store.jks", noAlias), "BadInput",
                List.of("Secret m-ks key store.jks", "no private key entry 'signer'")),
            new Case("alias holding only a certificate", "m-ks", with(goodKs, "store.jks", aliasCertOnly), "BadInput",
                List.of("Secret m-ks key store.jks", "holds only a certificate")),
            new Case("not a keystore", "m-ks", with(goodKs, "store.jks", utf8(garbage)), "BadInput",
                List.of("Secret m-ks key store.jks")));

        for (Case c : cases) {
            put(c.secret(), c.data());
            RealCluster.await(c.name() + ": Ready=False " + c.reason(), TIMEOUT, () -> ready()
                .map(r -> "False".equals(r.getStatus()) && c.reason().equals(r.getReason())
                    && c.mentions().stream().allMatch(r.getMessage()::contains)).orElse(false));
            String message = ready().orElseThrow().getMessage();
            assertFalse(message.contains("BEGIN") || message.contains(STORE_PASSWORD), c.name() + ": " + message);
            RealCluster.await(c.name() + ": a Warning Event", TIMEOUT, () -> client.v1().events().inNamespace(NS).list()
                .getItems().stream().anyMatch(e -> SET.equals(e.getInvolvedObject().getName())
                    && "Warning".equals(e.getType()) && c.reason().equals(e.getReason()) && message.equals(e.getMessage())));
            assertSameOutput(good, c.name());
            // put the input back: Ready by itself, and the output is what it was
            put(c.secret(), c.secret().equals("m-tls") ? goodTls : c.secret().equals("m-ca") ? goodCa : goodKs);
            RealCluster.await(c.name() + ": Ready again", TIMEOUT, () -> ready().map(r -> "True".equals(r.getStatus()))
                .orElse(false));
            assertSameOutput(good, c.name() + " fixed");
        }

        // accepted as they are, nothing rewritten: a chain out of order is put in order; a file called .jks
        // that holds PKCS12 (and the reverse) is read by what its bytes are
        put("m-tls", tlsData(List.of(web.chain().get(1), web.chain().get(0)), web.key()));
        put("m-ks", with(goodKs, "store.jks", p12));
        Thread.sleep(3000);
        assertTrue(ready().map(r -> "True".equals(r.getStatus())).orElse(false), ready().toString());
        assertSameOutput(good, "reordered chain, PKCS12 behind a .jks name");

        // a P-521 CA (as corporate CAs are) is accepted: the leaves the operator issues are re-issued from it
        KeyPair p521 = p521();
        CertificateAuthority p521Ca = new CertificateAuthority(p521.getPrivate(),
            List.of(dev.keystore.operator.crypto.TestKeys.foreignCa(p521, "SHA512withECDSA", "P-521 Corp CA")));
        put("m-ca", tlsData(p521Ca.chain(), p521Ca.key()));
        RealCluster.await("internal re-issued from the P-521 CA", TIMEOUT, () -> {
            KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(SET).get();
            return s.getStatus() != null && s.getStatus().keystores != null && s.getStatus().keystores.internal != null
                && "CN=P-521 Corp CA".equals(s.getStatus().keystores.internal.issuer)
                && ready().map(r -> "True".equals(r.getStatus())).orElse(false);
        });
        byte[] internalStore = output().get("internal.jks");
        X509Certificate internalCert = KeystoreCodec.read(StoreType.JKS, internalStore, new String(output().get("password"),
            StandardCharsets.UTF_8).toCharArray()).entries().stream().filter(e -> e instanceof StoreEntry.KeyEntry)
            .map(e -> ((StoreEntry.KeyEntry) e).chain().get(0)).findFirst().orElseThrow();
        internalCert.verify(p521Ca.certificate().getPublicKey());
        assertEquals("SHA512withECDSA", internalCert.getSigAlgName());

        // nothing secret in the operator's log, the Events or the status
        List<String> needles = new ArrayList<>(List.of("PRIVATE KEY", STORE_PASSWORD,
            new String(good.get("password"), StandardCharsets.UTF_8)));
        for (PrivateKey key : KEYS) {
            String b64 = Base64.getEncoder().encodeToString(key.getEncoded());
            for (int i = 0; i + 40 <= b64.length(); i += 40) {
                needles.add(b64.substring(i, i + 40));
            }
        }
        StringBuilder seen = new StringBuilder(Files.readString(operatorLog));
        client.v1().events().inNamespace(NS).list().getItems().forEach(e -> seen.append(e.getMessage()).append('\n'));
        seen.append(client.getKubernetesSerialization().asJson(client.resources(KeystoreSet.class).inNamespace(NS)
            .withName(SET).get().getStatus()));
        String haystack = seen.toString();
        assertTrue(haystack.contains("Secret m-ca key tls.crt"), "the scan reads what the operator reported");
        for (String needle : needles) {
            assertFalse(haystack.contains(needle), "key material or a password leaked into the log, Events or status");
        }
    }
}
