package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.WorkloadKind;
import dev.keystore.operator.api.v1alpha1.WorkloadRef;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.WorkloadRollout;
import dev.keystore.operator.testing.HttpsWorkload;
import dev.keystore.operator.testing.TlsPeers;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A Java workload in a real pod ({@link HttpsWorkload}, the JDK alone, in the JRE image) mounting a set's
 * Secret and serving mutual TLS on a loopback port, kept by the operator running in its own pod (installed
 * by helm with {@code watchNamespaces}: Roles only). Adding {@code spec.rollout} restarts nothing; rotating
 * {@code tls} rolls the workload to a new pod that serves the new certificate and holds the same internal key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadPodIT {
    static final Duration TIMEOUT = Duration.ofMinutes(4);
    static final String NS = "shop";
    static final String OPERATOR_NS = "shop-operator";
    static final String RELEASE = "shop-keystores";
    static final String SET = "shop";
    static final String WORKLOAD = "shop";
    static final int PORT = PodCluster.freePort();
    static final String LIBERTY_NS = "zosconnect";
    static final int LIBERTY_PORT = PodCluster.freePort();
    static PodCluster cluster;
    static KubernetesClient client;
    static String firstPod;
    static String internalBefore;
    static String certificateBefore;

    /** What a client sees of the workload: the certificate it served and the internal key it reports. */
    record Answer(String certificateSha256, String internalKeySha256) {
    }

    @BeforeAll
    static void start() {
        cluster = PodCluster.get();
        client = cluster.client();
        cluster.operatorImage();
        for (String ns : List.of(NS, LIBERTY_NS)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>(cluster.podValues(PodCluster.freePort()));
        values.put("watchNamespaces[0]", NS);
        values.put("watchNamespaces[1]", LIBERTY_NS);
        cluster.helmInstall(RELEASE, OPERATOR_NS, values);
        cluster.awaitOneReadyPod(OPERATOR_NS, RELEASE, TIMEOUT);
        client.resource(client.getKubernetesSerialization().<HasMetadata>unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: shop, namespace: shop}
            spec:
              tls: {dnsNames: [localhost], ipAddresses: [127.0.0.1], privateKey: {algorithm: EC, size: 256}}
              internal: {privateKey: {algorithm: RSA, size: 2048}}
              truststore: {}
            """)).create();
        RealCluster.await("the set Ready", TIMEOUT, () -> readyFor(set().getMetadata().getGeneration()));
        client.resource(client.getKubernetesSerialization().<HasMetadata>unmarshal("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: %s, namespace: %s}
            spec:
              replicas: 1
              strategy: {type: Recreate}   # one node, one port: the new pod starts when the old one is gone
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop}}
                spec:
                  hostNetwork: true
                  terminationGracePeriodSeconds: 5
                  securityContext: {runAsUser: 1001, runAsNonRoot: true}
                  containers:
                  - name: shop
                    image: %s
                    imagePullPolicy: Never
                    command: [java, -cp, /app, dev.keystore.operator.testing.HttpsWorkload]
                    env:
                    - {name: PORT, value: "%d"}
                    - name: KEYSTORE_PASSWORD
                      valueFrom: {secretKeyRef: {name: shop-keystores, key: password}}
                    ports: [{name: https, containerPort: %d}]
                    # the kubelet probes the pod IP unless told: the workload listens on loopback only
                    readinessProbe: {tcpSocket: {host: 127.0.0.1, port: https}, periodSeconds: 2}
                    securityContext:
                      readOnlyRootFilesystem: true
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL]}
                    volumeMounts:
                    - {name: keystores, mountPath: /etc/keystores, readOnly: true}
                    - {name: app, mountPath: /app, readOnly: true}
                  volumes:
                  - name: keystores
                    secret: {secretName: shop-keystores}
                  - name: app
                    hostPath: {path: %s, type: Directory}
            """.formatted(WORKLOAD, NS, PodCluster.RUNTIME_IMAGE, PORT, PORT,
            PodCluster.PROJECT.resolve("target/test-classes")))).create();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            client.apps().deployments().inNamespace(NS).withName(WORKLOAD).delete();
            client.apps().deployments().inNamespace(LIBERTY_NS).withName("zosconnect").delete();
            Helm.uninstall(RELEASE).withNamespace(OPERATOR_NS).withKubeConfig(cluster.kubeconfig()).call();
        }
    }

    static KeystoreSet set() {
        return client.resources(KeystoreSet.class).inNamespace(NS).withName(SET).get();
    }

    static boolean readyFor(long generation) {
        KeystoreSet s = set();
        return s.getStatus() != null && s.getStatus().conditions != null && s.getStatus().conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                && Long.valueOf(generation).equals(c.getObservedGeneration()));
    }

    static Map<String, byte[]> secret() {
        return ManagedSecret.decode(client.secrets().inNamespace(NS).withName("shop-keystores").get());
    }

    static char[] password(Map<String, byte[]> data) {
        return new String(data.get("password"), StandardCharsets.UTF_8).toCharArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static Pod awaitWorkloadPod(String notNamed) {
        RealCluster.await("one Ready workload pod" + (notNamed == null ? "" : " other than " + notNamed), TIMEOUT, () -> {
            List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", "shop").list().getItems();
            return pods.size() == 1 && PodCluster.ready(pods.get(0)) && !pods.get(0).getMetadata().getName().equals(notNamed);
        });
        return client.pods().inNamespace(NS).withLabel("app", "shop").list().getItems().get(0);
    }

    /** An HTTPS GET to the workload as localhost, the server verified with the set's truststore. */
    static Answer get(SSLContext context) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 5_000);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", PORT, true)) {
            s.setSoTimeout(15_000);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setServerNames(List.of(new SNIHostName("localhost")));
            s.setSSLParameters(params);
            s.startHandshake();
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!answer.startsWith("HTTP/1.1 200 ")) {
                throw new IOException("no HTTP answer: " + answer);
            }
            String internal = answer.lines().filter(l -> l.startsWith("internal-key-sha256=")).findFirst().orElseThrow()
                .substring("internal-key-sha256=".length());
            Certificate served = s.getSession().getPeerCertificates()[0];
            return new Answer(sha256(served.getEncoded()), internal);
        }
    }

    /** A peer service's client: the set's tls key (serverAuth and clientAuth) and its truststore. */
    static SSLContext peer(Map<String, byte[]> data) throws Exception {
        KeyStore keys = TlsPeers.load(data.get("tls.p12"), "PKCS12", password(data));
        KeyStore trust = TlsPeers.load(data.get("truststore.p12"), "PKCS12", password(data));
        return TlsPeers.context(keys, password(data), trust);
    }

    static String tlsCertificate(Map<String, byte[]> data) throws Exception {
        KeyStore keys = TlsPeers.load(data.get("tls.p12"), "PKCS12", password(data));
        return sha256(keys.getCertificate(keys.aliases().nextElement()).getEncoded());
    }

    static String internalKey(Map<String, byte[]> data) throws Exception {
        return HttpsWorkload.publicKeySha256(TlsPeers.load(data.get("internal.p12"), "PKCS12", password(data)));
    }

    @Test
    @Order(1)
    void theWorkloadServesMutualTlsFromTheMountedSecret() throws Exception {
        Pod pod = awaitWorkloadPod(null);
        firstPod = pod.getMetadata().getName();
        Map<String, byte[]> data = secret();
        Answer answer = get(peer(data));
        certificateBefore = tlsCertificate(data);
        internalBefore = internalKey(data);
        assertEquals(certificateBefore, answer.certificateSha256(), "the pod serves the Secret's tls certificate");
        assertEquals(internalBefore, answer.internalKeySha256(), "the pod holds the Secret's internal key");
        KeyStore trust = TlsPeers.load(data.get("truststore.p12"), "PKCS12", password(data));
        assertThrows(IOException.class, () -> get(TlsPeers.context(null, null, trust)), "no client certificate: refused");
        char[] x = "x".toCharArray();
        assertThrows(IOException.class, () -> get(TlsPeers.context(ProductScenariosIT.foreignIdentity(x), x, trust)),
            "a client certificate from another CA: refused");
        assertThrows(Exception.class, () -> get(TlsPeers.context(null, null, null)),
            "a client that trusts only the JDK's CAs does not accept the server");
    }

    @Test
    @Order(2)
    void addingRolloutToAnExistingSetRestartsNothing() {
        Deployment before = client.apps().deployments().inNamespace(NS).withName(WORKLOAD).get();
        long revision = set().getStatus().revision;
        KeystoreSet edited = RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(SET), s -> {
            WorkloadRef ref = new WorkloadRef();
            ref.kind = WorkloadKind.Deployment;
            ref.name = WORKLOAD;
            s.getSpec().rollout = List.of(ref);
            return s;
        });
        long generation = edited.getMetadata().getGeneration();
        RealCluster.await("the set reconciled at generation " + generation, TIMEOUT, () -> readyFor(generation));
        Deployment after = client.apps().deployments().inNamespace(NS).withName(WORKLOAD).get();
        Map<String, String> annotations = after.getSpec().getTemplate().getMetadata().getAnnotations();
        assertNull(annotations == null ? null : annotations.get(WorkloadRollout.REVISION_ANNOTATION),
            "no store changed: the pod template is left alone");
        assertEquals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration());
        assertEquals(revision, set().getStatus().revision, "nothing was rewritten");
        Pod pod = awaitWorkloadPod(null);
        assertEquals(firstPod, pod.getMetadata().getName(), "the workload was not restarted");
        assertEquals(0, pod.getStatus().getContainerStatuses().get(0).getRestartCount());
    }

    @Test
    @Order(3)
    void rotatingTlsRollsTheWorkloadToANewPodThatServesTheNewCertificateWithTheSameInternalKey() throws Exception {
        long revision = set().getStatus().revision;
        long started = System.nanoTime();
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(SET), s -> {
            s.getMetadata().getAnnotations().put("keystore.dev/rotate-tls", "pods-1");
            return s;
        });
        RealCluster.await("a new revision", TIMEOUT, () -> set().getStatus().revision > revision);
        String newRevision = Long.toString(set().getStatus().revision);
        RealCluster.await("the pod template annotated", TIMEOUT, () -> newRevision.equals(client.apps().deployments()
            .inNamespace(NS).withName(WORKLOAD).get().getSpec().getTemplate().getMetadata().getAnnotations()
            .get(WorkloadRollout.REVISION_ANNOTATION)));
        Pod rolled = awaitWorkloadPod(firstPod);
        long rolledMs = (System.nanoTime() - started) / 1_000_000;
        assertNotEquals(firstPod, rolled.getMetadata().getName());

        Map<String, byte[]> data = secret();
        Answer answer = get(peer(data));
        assertEquals(tlsCertificate(data), answer.certificateSha256(), "the new pod serves the new certificate");
        assertNotEquals(certificateBefore, answer.certificateSha256(), "rotated");
        assertEquals(internalBefore, answer.internalKeySha256(), "the internal key inside the new pod is the one before");
        assertEquals(internalBefore, internalKey(data));
        System.out.printf("[measure] rotate-tls to the new workload pod serving the new certificate: %d ms%n", rolledMs);
    }

    @Test
    @Order(4)
    void openLibertyInAPodServesMutualTlsWithTheEmittedServerXml() throws Exception {
        if (!Files.isExecutable(LibertyRuntimeIT.WLP.resolve("bin/server"))) {
            throw new IllegalStateException("no Open Liberty in " + LibertyRuntimeIT.WLP + ": run hack/install-openliberty.sh");
        }
        for (HasMetadata item : client.load(Files.newInputStream(PodCluster.PROJECT.resolve("examples/liberty-mtls.yaml")))
            .items()) {
            client.resource(item).create();
        }
        RealCluster.await("the server set's Secret", TIMEOUT,
            () -> client.secrets().inNamespace(LIBERTY_NS).withName("zosconnect-server-keystores").get() != null);
        RealCluster.await("the client set's Secret", TIMEOUT,
            () -> client.secrets().inNamespace(LIBERTY_NS).withName("zosconnect-client-keystores").get() != null);
        // the product's own server.xml: the endpoint, and the operator's snippet included from the mounted Secret
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("zosconnect-server").withNamespace(LIBERTY_NS)
            .endMetadata().addToData("server.xml", LibertyServer.serverXml(LIBERTY_PORT, "/config/resources/security/server.xml")).build()).create();
        client.resource(client.getKubernetesSerialization().<HasMetadata>unmarshal("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: zosconnect, namespace: %s}
            spec:
              replicas: 1
              strategy: {type: Recreate}
              selector: {matchLabels: {app: zosconnect}}
              template:
                metadata: {labels: {app: zosconnect}}
                spec:
                  hostNetwork: true
                  terminationGracePeriodSeconds: 5
                  securityContext: {runAsUser: 1001, runAsNonRoot: true}
                  containers:
                  - name: liberty
                    image: %s
                    imagePullPolicy: Never
                    command: [/bin/sh, -c, "mkdir -p /tmp/usr/servers/zosconnect && cp /server/server.xml /tmp/usr/servers/zosconnect/ && exec /opt/wlp/bin/server run zosconnect"]
                    env:
                    - {name: WLP_USER_DIR, value: /tmp/usr}
                    - name: KEYSTORE_PASSWORD
                      valueFrom: {secretKeyRef: {name: zosconnect-server-keystores, key: password}}
                    readinessProbe: {tcpSocket: {host: 127.0.0.1, port: %d}, periodSeconds: 2}
                    securityContext:
                      readOnlyRootFilesystem: true
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL]}
                    volumeMounts:
                    - {name: security, mountPath: /config/resources/security, readOnly: true}
                    - {name: server, mountPath: /server, readOnly: true}
                    - {name: wlp, mountPath: /opt/wlp, readOnly: true}
                    - {name: tmp, mountPath: /tmp}
                  volumes:
                  - name: security
                    secret: {secretName: zosconnect-server-keystores}
                  - name: server
                    configMap: {name: zosconnect-server}
                  - name: wlp
                    hostPath: {path: %s, type: Directory}
                  - name: tmp
                    emptyDir: {}
            """.formatted(LIBERTY_NS, PodCluster.RUNTIME_IMAGE, LIBERTY_PORT, LibertyRuntimeIT.WLP))).create();
        long started = System.nanoTime();
        Pod pod;
        try {
            RealCluster.await("the Liberty pod Ready", TIMEOUT, () -> client.pods().inNamespace(LIBERTY_NS)
                .withLabel("app", "zosconnect").list().getItems().stream().anyMatch(PodCluster::ready));
            pod = client.pods().inNamespace(LIBERTY_NS).withLabel("app", "zosconnect").list().getItems().get(0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + cluster.describe(LIBERTY_NS), e);
        }
        long readyMs = (System.nanoTime() - started) / 1_000_000;

        Map<String, byte[]> clientSet = ManagedSecret.decode(
            client.secrets().inNamespace(LIBERTY_NS).withName("zosconnect-client-keystores").get());
        char[] clientPassword = password(clientSet);
        KeyStore clientTrust = TlsPeers.load(clientSet.get("clientTrust.p12"), "PKCS12", clientPassword);
        SSLContext gateway = TlsPeers.context(TlsPeers.load(clientSet.get("clientKey.p12"), "PKCS12", clientPassword),
            clientPassword, clientTrust);
        String status = TlsPeers.httpGet(gateway, "localhost", LIBERTY_PORT);
        assertTrue(status.startsWith("HTTP/1.1 "), status);
        assertThrows(IOException.class, () -> TlsPeers.httpGet(TlsPeers.context(null, null, clientTrust), "localhost",
            LIBERTY_PORT), "a client without a certificate must be refused");
        String id = PodCluster.containerId(pod, "liberty");
        String log = cluster.logs(id) + cluster.docker("exec", id, "cat", "/tmp/usr/servers/zosconnect/logs/messages.log")
            .orFail("Liberty's messages.log").output();
        String serverPassword = new String(password(ManagedSecret.decode(
            client.secrets().inNamespace(LIBERTY_NS).withName("zosconnect-server-keystores").get())));
        assertTrue(log.contains("CWWKO0219I") && log.contains("defaultHttpEndpoint-ssl"), "the SSL endpoint: " + log);
        assertFalse(log.contains(serverPassword), "Liberty's output must not show the password");
        System.out.printf("[measure] Open Liberty pod created to Ready (HTTPS with client certificates): %d ms%n", readyMs);
    }
}
