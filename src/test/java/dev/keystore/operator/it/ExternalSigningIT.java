package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * issuer.external on a real API server, with openssl as the CA the operator cannot reach: the CSR
 * appears, the set waits (AwaitingSignature), the signed chain is accepted (root in the truststore),
 * a reply for another key is refused naming the Secret and key, and a renewal keeps the certificate
 * in use until the reply for the new key arrives.
 */
class ExternalSigningIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String NS = "zos";
    static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    static RealCluster cluster;
    static KubernetesClient client;

    @TempDir
    static Path ca;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("ExternalSigningIT");
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startOperator("ExternalSigningIT");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.crt",
            "-subj", "/CN=Corp Root CA", "-days", "3650", "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "issuing.key", "-out", "issuing.csr",
            "-subj", "/CN=Corp Issuing CA");
        Files.writeString(ca.resolve("ca.ext"), "basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
        openssl("x509", "-req", "-in", "issuing.csr", "-CA", "root.crt", "-CAkey", "root.key", "-CAcreateserial",
            "-out", "issuing.crt", "-days", "1825", "-extfile", "ca.ext");
        Files.createDirectories(ca.resolve("newcerts"));
        Files.writeString(ca.resolve("index.txt"), "");
        Files.writeString(ca.resolve("serial"), "1000\n");
        Files.writeString(ca.resolve("ca.cnf"), """
            [ ca ]
            default_ca = test
            [ test ]
            dir = %s
            database = $dir/index.txt
            new_certs_dir = $dir/newcerts
            serial = $dir/serial
            certificate = $dir/issuing.crt
            private_key = $dir/issuing.key
            default_md = sha256
            policy = any
            unique_subject = no
            [ any ]
            countryName = optional
            organizationName = optional
            commonName = supplied
            [ leaf ]
            basicConstraints = CA:false
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = clientAuth
            subjectAltName = DNS:myClient.host.com
            """.formatted(ca));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Tools.Run run = Tools.run(ca, Map.of(), command);
        assertEquals(0, run.exitCode(), run.output());
    }

    /** openssl ca signs the CSR for the given validity; returns leaf, issuing CA, root as PEM. */
    static byte[] sign(byte[] csr, Instant from, Instant to) throws Exception {
        Files.write(ca.resolve("in.csr"), csr);
        openssl("ca", "-batch", "-config", "ca.cnf", "-extensions", "leaf", "-preserveDN", "-notext", "-in", "in.csr",
            "-out", "out.crt", "-startdate", OPENSSL_TIME.format(from), "-enddate", OPENSSL_TIME.format(to));
        return (Files.readString(ca.resolve("out.crt")) + Files.readString(ca.resolve("issuing.crt"))
            + Files.readString(ca.resolve("root.crt"))).getBytes(StandardCharsets.UTF_8);
    }

    static void reply(byte[] chain) {
        var secret = new SecretBuilder().withNewMetadata().withName("zosconnect-signed").endMetadata()
            .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(chain))).build();
        client.secrets().inNamespace(NS).resource(secret).createOr(op -> op.update());
    }

    static KeystoreSet set() {
        return client.resources(KeystoreSet.class).inNamespace(NS).withName("zosconnect-client").get();
    }

    static Optional<Condition> condition(String type) {
        KeystoreSet s = set();
        return s == null || s.getStatus() == null || s.getStatus().conditions == null ? Optional.empty()
            : s.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static boolean is(String type, String status, String reason) {
        return condition(type).filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason())).isPresent();
    }

    static Optional<Map<String, byte[]>> secret(String name) {
        return Optional.ofNullable(client.secrets().inNamespace(NS).withName(name).get()).map(ManagedSecret::decode);
    }

    static boolean event(String type, String reason, String text) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().anyMatch(e -> type.equals(e.getType())
            && reason.equals(e.getReason()) && e.getMessage().contains(text));
    }

    static StoreEntry.KeyEntry keyEntry(Map<String, byte[]> out) throws Exception {
        char[] pw = new String(out.get("password"), StandardCharsets.UTF_8).toCharArray();
        byte[] p12 = out.get("clientKey.p12");
        return KeystoreCodec.read(KeystoreCodec.detect(p12), p12, pw).keyEntry("clientCert").orElseThrow();
    }

    @Test
    void aCsrIsSignedWithOpensslAcceptedRefusedAndRenewed() throws Exception {
        String yaml = Files.readString(RealCluster.PROJECT.resolve("examples/external-ca.yaml"));
        client.resource(client.getKubernetesSerialization().unmarshal(yaml, KeystoreSet.class)).create();

        // 1. the CSR appears; the set waits for its signature
        RealCluster.await("the CSR Secret", TIMEOUT, () -> secret("zosconnect-client-csr").isPresent());
        RealCluster.await("AwaitingSignature", TIMEOUT, () -> is("Issuing", "True", "AwaitingSignature")
            && is("Ready", "False", "AwaitingSignature"));
        byte[] csr = secret("zosconnect-client-csr").orElseThrow().get("tls.csr");
        assertNotNull(csr);
        assertTrue(secret("zosconnect-client-csr").orElseThrow().keySet().stream().noneMatch(k -> k.endsWith(".key")),
            "the CSR Secret holds no key");
        assertFalse(secret("zosconnect-client").isPresent(), "no output before the signature");
        assertTrue(condition("Issuing").orElseThrow().getMessage().contains("Secret zosconnect-client-csr (tls.csr)"));
        RealCluster.await("an AwaitingSignature Event naming the slot", TIMEOUT,
            () -> event("Normal", "AwaitingSignature", "signed certificate of tls"));
        assertNotNull(set().getStatus().awaitingSignature.get("tls"));

        // 2. a reply for another key: BadInput naming the Secret and key; nothing is written
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key", "-out", "stranger.csr",
            "-subj", "/C=US/O=IBM/CN=myClient.host.com");
        Instant now = Instant.now();
        reply(sign(Files.readAllBytes(ca.resolve("stranger.csr")), now.minusSeconds(60), now.plus(Duration.ofDays(365))));
        RealCluster.await("BadInput for the stranger's certificate", TIMEOUT, () -> is("Ready", "False", "BadInput")
            && condition("Ready").orElseThrow().getMessage().contains("Secret zosconnect-signed key tls.crt holds a "
            + "certificate for another key"));
        assertFalse(secret("zosconnect-client").isPresent());
        assertArrayEquals(csr, secret("zosconnect-client-csr").orElseThrow().get("tls.csr"), "the request stays");

        // 3. the CA signs the CSR: a certificate already past its renewal time (issued 300 days ago, ends in 65)
        reply(sign(csr, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(65))));
        RealCluster.await("Ready", TIMEOUT, () -> is("Ready", "True", "Issued"));
        Map<String, byte[]> out = secret("zosconnect-client").orElseThrow();
        StoreEntry.KeyEntry first = keyEntry(out);
        assertEquals(3, first.chain().size(), "leaf, issuing CA, root");
        assertEquals("CN=Corp Root CA", first.chain().get(2).getSubjectX500Principal().getName());
        char[] pw = new String(out.get("password"), StandardCharsets.UTF_8).toCharArray();
        StoreContent trust = KeystoreCodec.read(KeystoreCodec.detect(out.get("clientTrust.p12")), out.get("clientTrust.p12"), pw);
        List<X509Certificate> trusted = trust.entries().stream().filter(e -> e instanceof StoreEntry.TrustedEntry)
            .map(e -> ((StoreEntry.TrustedEntry) e).certificate()).toList();
        assertEquals(List.of(first.chain().get(2)), trusted, "the chain's root, and only it, in the truststore");
        Path p12 = ca.resolve("clientKey.p12");
        Files.write(p12, out.get("clientKey.p12"));
        Tools.Run list = Tools.keytoolList(p12, "PKCS12", new String(pw));
        assertTrue(list.output().contains("Certificate chain length: 3"), list.output());

        // 4. renewal: the certificate is due, so a new key's CSR waits while Ready stays True
        RealCluster.await("the renewal's CSR", TIMEOUT, () -> secret("zosconnect-client-csr").map(d -> d.get("tls.csr"))
            .filter(b -> !java.util.Arrays.equals(b, csr)).isPresent() && is("Issuing", "True", "AwaitingSignature"));
        assertTrue(is("Ready", "True", "Issued"));
        byte[] renewalCsr = secret("zosconnect-client-csr").orElseThrow().get("tls.csr");
        byte[] storeBefore = secret("zosconnect-client").orElseThrow().get("clientKey.p12");

        // a reply for another key while the certificate is in use: refused with a Warning, the output untouched
        reply(sign(Files.readAllBytes(ca.resolve("stranger.csr")), now.minusSeconds(60), now.plus(Duration.ofDays(365))));
        RealCluster.await("a Warning naming the Secret and key", TIMEOUT, () -> event("Warning", "BadInput",
            "Secret zosconnect-signed key tls.crt holds a certificate for another key"));
        assertTrue(is("Ready", "True", "Issued"), "a valid certificate is in use");
        assertArrayEquals(storeBefore, secret("zosconnect-client").orElseThrow().get("clientKey.p12"));

        // the reply for the new key swaps; nothing waits any more
        reply(sign(renewalCsr, now.minusSeconds(60), now.plus(Duration.ofDays(365))));
        RealCluster.await("the new key in use", TIMEOUT, () -> is("Issuing", "False", "UpToDate")
            && secret("zosconnect-client-csr").isEmpty());
        StoreEntry.KeyEntry renewed = keyEntry(secret("zosconnect-client").orElseThrow());
        assertFalse(java.util.Arrays.equals(first.key().getEncoded(), renewed.key().getEncoded()), "rotationPolicy Always");
        assertEquals(3, renewed.chain().size());
        assertTrue(is("Ready", "True", "Issued"));
        assertTrue(set().getStatus().awaitingSignature == null);
    }
}
