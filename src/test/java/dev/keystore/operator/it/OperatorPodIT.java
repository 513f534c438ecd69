package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.testing.HttpsWorkload;
import dev.keystore.operator.testing.OperatorChart;
import dev.keystore.operator.testing.TlsPeers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator as users run it: the image built from the Dockerfile, installed by helm into the one-node
 * cluster of {@link PodCluster}, its pod Ready through the chart's probes on a real kubelet. The tests build
 * on each other (one release through install, faults, upgrade, a second operator, uninstall), in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorPodIT {
    static final Duration POD_TIMEOUT = Duration.ofMinutes(4);
    static final Duration SET_TIMEOUT = Duration.ofMinutes(3);
    static final String NS = "keystore-system";
    static final String RELEASE = OperatorChart.RELEASE;
    static final String STANDBY = "standby";
    static final String LEADER_ELECTION = "KEYSTORE_OPERATOR_LEADER_ELECTION_ENABLED";
    static final String APPS = "apps";
    static final String FAULTS = "faults";
    static final int PORT = PodCluster.freePort();
    static final int STANDBY_PORT = PodCluster.freePort();
    static final int TEAMS_PORT = PodCluster.freePort();
    static PodCluster cluster;
    static KubernetesClient client;
    /** set name -> SHA-256 of its internal public key, as seen before the faults. */
    static final Map<String, String> internalKeys = new TreeMap<>();

    @BeforeAll
    static void install() {
        cluster = PodCluster.get();
        client = cluster.client();
        cluster.operatorImage();
        Release release = cluster.helmInstall(RELEASE, NS, cluster.podValues(PORT));
        assertEquals("deployed", release.getStatus());
        for (String ns : List.of(APPS, FAULTS)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        }
    }

    @AfterAll
    static void uninstall() {
        for (String[] release : List.of(new String[] {STANDBY, NS}, new String[] {RELEASE, NS},
            new String[] {"teams", "team-operator"})) {
            try {
                Helm.uninstall(release[0]).withNamespace(release[1]).withKubeConfig(cluster.kubeconfig()).call();
            } catch (RuntimeException e) {
                // already uninstalled by the test
            }
        }
    }

    static Map<String, Object> values(int port, String... more) {
        Map<String, Object> values = new LinkedHashMap<>(cluster.podValues(port));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return values;
    }

    static Map<String, Object> withLeaderElection(int port) {
        return values(port, "leaderElection", "true");
    }

    static void createSet(String ns, String name, boolean internal) {
        client.resource(client.getKubernetesSerialization().<HasMetadata>unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: %s, namespace: %s}
            spec:
              tls: {dnsNames: [%s.%s.svc], privateKey: {algorithm: EC, size: 256}}
            %s""".formatted(name, ns, name, ns, internal ? "  internal: {privateKey: {algorithm: RSA, size: 2048}}\n" : "")))
            .create();
    }

    static KeystoreSet set(String ns, String name) {
        return client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
    }

    static boolean ready(String ns, String name) {
        KeystoreSet s = set(ns, name);
        return s != null && s.getStatus() != null && s.getStatus().conditions != null && s.getStatus().conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                && s.getMetadata().getGeneration().equals(c.getObservedGeneration()));
    }

    static void awaitReady(String ns, String name) {
        RealCluster.await(ns + "/" + name + " Ready", SET_TIMEOUT, () -> ready(ns, name));
    }

    static String holder() {
        Lease lease = client.leases().inNamespace(NS).withName("keystore-operator").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** SHA-256 of the public key in {@code <secretName>-internal}, the record of the key that must never change. */
    static String recordedInternalKey(String ns, String set) throws Exception {
        Secret record = client.secrets().inNamespace(ns).withName(set + "-keystores-internal").get();
        if (record == null) {
            return null;
        }
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(ManagedSecret.decode(record).get("tls.crt")));
        return sha256(cert.getPublicKey().getEncoded());
    }

    /** SHA-256 of the public key in the output Secret's internal.p12. */
    static String storedInternalKey(String ns, String set) throws Exception {
        Map<String, byte[]> data = ManagedSecret.decode(client.secrets().inNamespace(ns).withName(set + "-keystores").get());
        char[] password = new String(data.get("password"), StandardCharsets.UTF_8).toCharArray();
        return HttpsWorkload.publicKeySha256(TlsPeers.load(data.get("internal.p12"), "PKCS12", password));
    }

    static JsonNode inspect(String containerId) throws Exception {
        return new ObjectMapper().readTree(cluster.docker("inspect", containerId).orFail("docker inspect").output()).get(0);
    }

    /** A line of /proc/PID/status of the container's main process (seen from the node). */
    static String procStatus(JsonNode inspected, String field) throws Exception {
        long pid = inspected.get("State").get("Pid").asLong();
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field + ":"))
            .findFirst().orElseThrow().substring(field.length() + 1).strip();
    }

    @Test
    @Order(1)
    void theOperatorPodTurnsReadyThroughItsProbesAsNonRootReadOnlyWithoutCapabilities() throws Exception {
        Pod pod = cluster.awaitOneReadyPod(NS, RELEASE, POD_TIMEOUT);
        Container container = pod.getSpec().getContainers().get(0);
        assertEquals(PodCluster.IMAGE, container.getImage());
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertTrue(pod.getSpec().getHostNetwork());
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + PORT + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"UP\""), health.body());

        String id = PodCluster.containerId(pod, "operator");
        JsonNode inspected = inspect(id);
        JsonNode host = inspected.get("HostConfig");
        assertTrue(host.get("ReadonlyRootfs").asBoolean(), "read-only root file system");
        assertFalse(host.get("Privileged").asBoolean());
        assertEquals(List.of("ALL"), OperatorImageIT.strings(host.get("CapDrop")));
        assertTrue(host.get("CapAdd") == null || host.get("CapAdd").isNull() || host.get("CapAdd").isEmpty(), host.toString());
        assertTrue(host.get("SecurityOpt").toString().contains("no-new-privileges"), host.get("SecurityOpt").toString());
        // what the running process really has
        assertEquals("1001", procStatus(inspected, "Uid").split("\\s+")[0], "runs as UID 1001");
        assertEquals("0000000000000000", procStatus(inspected, "CapEff"), "no effective capability");
        assertEquals("0000000000000000", procStatus(inspected, "CapPrm"), "no permitted capability");
        assertEquals("1", procStatus(inspected, "NoNewPrivs"));
        PodCluster.Run write = cluster.docker("exec", id, "/bin/sh", "-c", "touch /deployments/x || touch /x");
        assertNotEquals(0, write.exitCode(), "the root file system is read-only: " + write.output());

        Instant started = Instant.parse(pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt());
        Instant readyAt = Instant.parse(pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .findFirst().orElseThrow().getLastTransitionTime());
        String log = cluster.logs(id);
        // the JVM as the chart starts it (its JAVA_TOOL_OPTIONS: Serial GC, the pod's memory) maps the image's AOT
        // cache; one it cannot use is only a warning in the log, and the start is slower
        String maps = Files.readString(Path.of("/proc/" + inspected.get("State").get("Pid").asLong() + "/maps"));
        assertTrue(maps.contains("/deployments/aot/keystore-operator.aot"), "the operator's JVM has not mapped its AOT cache: "
            + log.lines().filter(l -> l.contains("[aot]")).toList());
        assertFalse(log.contains("Unable to use AOT cache"), log);
        String quarkusStart = log.lines().filter(l -> l.contains(" started in ")).findFirst().orElse("(no start line)");
        System.out.printf("[measure] operator pod: container start to Ready %d s (readiness probe: initial delay 5 s, "
                + "period 10 s); Quarkus: %s; RSS in the pod after start %s%n",
            Duration.between(started, readyAt).toSeconds(), quarkusStart.replaceAll(".*(started in [0-9.]+s).*", "$1"),
            procStatus(inspected, "VmRSS"));
    }

    @Test
    @Order(2)
    void aSetIsIssuedInTheClusterAndKubectlShowsWhenItExpires() {
        createSet(APPS, "web", false);
        awaitReady(APPS, "web");
        String notAfter = set(APPS, "web").getStatus().notAfter;
        assertNotNull(notAfter);
        PodCluster.Run get = cluster.kubectl("-n", APPS, "get", "kss").orFail("kubectl get kss");
        List<String> lines = get.output().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split("\\s+"));
        Map<String, String> row = new HashMap<>();
        String[] cells = lines.get(1).split("\\s+");
        for (int i = 0; i < header.size(); i++) {
            row.put(header.get(i), cells[i]);
        }
        assertFalse(get.output().contains("<invalid>"), get.output());
        assertEquals(notAfter, row.get("EXPIRES"), "the expiry as a person reads it:\n" + get.output());
        assertEquals("True", row.get("READY"), get.output());
        assertEquals("web-keystores", row.get("SECRET"), get.output());
    }

    @Test
    @Order(3)
    void theOperatorPodDeletedAndItsContainerKilledWhileSetsAreIssuedLosesNoKey() throws Exception {
        Pod first = cluster.awaitOneReadyPod(NS, RELEASE, POD_TIMEOUT);
        for (int i = 0; i < 12; i++) {
            createSet(FAULTS, "f" + i, true);
        }
        RealCluster.await("issuance under way", SET_TIMEOUT, () -> client.secrets().inNamespace(FAULTS).list().getItems()
            .stream().filter(s -> s.getMetadata().getName().endsWith("-internal")).count() >= 2);
        client.pods().inNamespace(NS).withName(first.getMetadata().getName()).delete();
        snapshotInternalKeys(12);
        for (int i = 12; i < 18; i++) {
            createSet(FAULTS, "f" + i, true);
        }
        RealCluster.await("a new operator pod", POD_TIMEOUT, () -> cluster.pods(NS, RELEASE).stream()
            .anyMatch(p -> !p.getMetadata().getName().equals(first.getMetadata().getName()) && PodCluster.ready(p)));
        Pod second = cluster.pods(NS, RELEASE).stream().filter(PodCluster::ready).findFirst().orElseThrow();
        snapshotInternalKeys(18);
        PodCluster.Run kill = cluster.docker("kill", PodCluster.containerId(second, "operator"));
        assertEquals(0, kill.exitCode(), kill.output());
        RealCluster.await("the killed container restarted by the kubelet and Ready", POD_TIMEOUT, () -> {
            Pod p = client.pods().inNamespace(NS).withName(second.getMetadata().getName()).get();
            return p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1 && PodCluster.ready(p);
        });
        for (int i = 0; i < 18; i++) {
            awaitReady(FAULTS, "f" + i);
        }
        assertTrue(internalKeys.size() >= 2, internalKeys.toString());
        for (int i = 0; i < 18; i++) {
            String name = "f" + i;
            String recorded = recordedInternalKey(FAULTS, name);
            assertEquals(recorded, storedInternalKey(FAULTS, name), name + ": the store holds the recorded internal key");
            if (internalKeys.containsKey(name)) {
                assertEquals(internalKeys.get(name), recorded, name + ": the internal key from before the faults");
            }
        }
        Pod now = client.pods().inNamespace(NS).withName(second.getMetadata().getName()).get();
        System.out.printf("[measure] faults: %d of 18 sets had an internal key before the operator pod was deleted "
            + "or killed; all kept it; operator RSS with 19 sets issued: %s%n", internalKeys.size(),
            procStatus(inspect(PodCluster.containerId(now, "operator")), "VmRSS"));
    }

    static void snapshotInternalKeys(int sets) throws Exception {
        for (int i = 0; i < sets; i++) {
            String key = recordedInternalKey(FAULTS, "f" + i);
            if (key != null) {
                internalKeys.putIfAbsent("f" + i, key);
            }
        }
    }

    @Test
    @Order(4)
    void helmUpgradeToAChangedValueRollsThePod() {
        Pod before = cluster.awaitOneReadyPod(NS, RELEASE, POD_TIMEOUT);
        var upgrade = new Helm(OperatorChart.DIR).upgrade().withName(RELEASE).withNamespace(NS)
            .withKubeConfig(cluster.kubeconfig());
        withLeaderElection(PORT).forEach(upgrade::set);
        Release upgraded = upgrade.call();
        assertEquals("deployed", upgraded.getStatus());
        assertEquals("2", upgraded.getRevision());
        assertNotNull(client.rbac().roles().inNamespace(NS).withName(RELEASE + "-leader-election").get());
        RealCluster.await("a new pod, the old one gone", POD_TIMEOUT, () -> {
            List<Pod> all = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems();
            return all.size() == 1 && !all.get(0).getMetadata().getName().equals(before.getMetadata().getName())
                && PodCluster.ready(all.get(0));
        });
        Pod after = cluster.pods(NS, RELEASE).get(0);
        assertTrue(after.getSpec().getContainers().get(0).getEnv().stream()
            .anyMatch(e -> LEADER_ELECTION.equals(e.getName()) && "true".equals(e.getValue())));
        assertNotEquals(before.getMetadata().getLabels().get("pod-template-hash"),
            after.getMetadata().getLabels().get("pod-template-hash"), "a new ReplicaSet");
        RealCluster.await("the upgraded pod holds the Lease", POD_TIMEOUT,
            () -> after.getMetadata().getName().equals(holder()));
    }

    @Test
    @Order(5)
    void aSecondOperatorWaitsAndTakesOverWhenTheLeadersPodIsDeleted() throws Exception {
        // two replicas of one Deployment cannot share a node on hostNetwork (one HTTP port), so the second
        // replica is a second release in the same namespace: the same Lease, another port
        Release standby = cluster.helmInstall(STANDBY, NS, withLeaderElection(STANDBY_PORT));
        assertEquals("deployed", standby.getStatus());
        Pod leader = cluster.awaitOneReadyPod(NS, RELEASE, POD_TIMEOUT);
        RealCluster.await("the standby operator's container running", POD_TIMEOUT, () -> cluster.pods(NS, STANDBY).stream()
            .anyMatch(p -> p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null));
        Pod follower = cluster.pods(NS, STANDBY).get(0);
        String followerId = PodCluster.containerId(follower, "operator");
        RealCluster.await("the standby started", POD_TIMEOUT, () -> cluster.logs(followerId).contains(" started in "));
        assertEquals(leader.getMetadata().getName(), holder());

        createSet(APPS, "lead-1", false);
        awaitReady(APPS, "lead-1");
        String leaderId = PodCluster.containerId(cluster.pods(NS, RELEASE).get(0), "operator");
        RealCluster.await("the leader wrote", Duration.ofSeconds(60),
            () -> cluster.logs(leaderId).contains(APPS + "/lead-1 Normal Issued"));
        assertFalse(cluster.logs(followerId).contains(APPS + "/lead-1 "), "the follower did not");

        client.pods().inNamespace(NS).withName(leader.getMetadata().getName()).delete();
        RealCluster.await("the standby holds the Lease", POD_TIMEOUT, () -> follower.getMetadata().getName().equals(holder()));
        createSet(APPS, "lead-2", false);
        awaitReady(APPS, "lead-2");
        RealCluster.await("the new leader writes", Duration.ofSeconds(60),
            () -> cluster.logs(followerId).contains(APPS + "/lead-2 Normal Issued"));
        assertEquals(1L, set(APPS, "lead-1").getStatus().revision, "the new leader did not rewrite what the old one wrote");
        // the Deployment replaced the deleted pod; it waits now
        Pod replacement = cluster.awaitOneReadyPod(NS, RELEASE, POD_TIMEOUT);
        assertNotEquals(leader.getMetadata().getName(), replacement.getMetadata().getName());
        assertEquals(follower.getMetadata().getName(), holder());
    }

    @Test
    @Order(6)
    void helmUninstallKeepsTheCrdsAndTheInternalSecrets() throws Exception {
        Map<String, String> before = new TreeMap<>();
        for (String ns : List.of(APPS, FAULTS)) {
            for (Secret s : client.secrets().inNamespace(ns).list().getItems()) {
                if (s.getMetadata().getName().endsWith("-internal")) {
                    before.put(ns + "/" + s.getMetadata().getName(), new TreeMap<>(s.getData()).toString());
                }
            }
        }
        for (int i = 0; i < 18; i++) {
            assertTrue(before.containsKey(FAULTS + "/f" + i + "-keystores-internal"), before.keySet().toString());
        }
        for (String release : List.of(STANDBY, RELEASE)) {
            Helm.uninstall(release).withNamespace(NS).withKubeConfig(cluster.kubeconfig()).call();
        }
        RealCluster.await("the operator pods gone", POD_TIMEOUT,
            () -> client.pods().inNamespace(NS).list().getItems().isEmpty());
        assertNull(client.apps().deployments().inNamespace(NS).withName(RELEASE).get());
        assertNull(client.rbac().clusterRoles().withName(RELEASE).get());
        for (String crd : List.of("keystoresets.keystore.dev", "trustbundles.keystore.dev")) {
            assertNotNull(client.apiextensions().v1().customResourceDefinitions().withName(crd).get(), crd + " kept");
        }
        for (var e : before.entrySet()) {
            String[] ref = e.getKey().split("/");
            Secret kept = client.secrets().inNamespace(ref[0]).withName(ref[1]).get();
            assertNotNull(kept, e.getKey() + " kept");
            assertEquals(e.getValue(), new TreeMap<>(kept.getData()).toString(), e.getKey() + " unchanged, byte for byte");
        }
        assertNotNull(set(APPS, "web"), "the sets themselves are the user's");
    }

    @Test
    @Order(7)
    void withWatchNamespacesTheOperatorWorksWithRolesOnly() {
        String team = "team-a";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(team).endMetadata().build()).create();
        Release teams = cluster.helmInstall("teams", "team-operator", values(TEAMS_PORT, "watchNamespaces[0]", team));
        assertEquals("deployed", teams.getStatus());
        assertNull(client.rbac().clusterRoles().withName("teams-keystore-operator").get());
        assertNull(client.rbac().clusterRoleBindings().withName("teams-keystore-operator").get());
        assertNotNull(client.rbac().roles().inNamespace(team).withName("teams-keystore-operator").get());
        Pod pod = cluster.awaitOneReadyPod("team-operator", "teams", POD_TIMEOUT);
        createSet(team, "svc", true);
        awaitReady(team, "svc");
        String id = PodCluster.containerId(pod, "operator");
        RealCluster.await("the Issued line in the operator's output", Duration.ofSeconds(60),
            () -> cluster.logs(id).contains(team + "/svc Normal Issued"));
        String log = cluster.logs(id);
        assertFalse(log.toLowerCase().contains("forbidden"), log);
        // a namespace it does not watch is not touched
        createSet(APPS, "unwatched", false);
        createSet(team, "svc-2", false);
        awaitReady(team, "svc-2"); // created after "unwatched": had the operator seen that one, it would be done
        KeystoreSet unwatched = set(APPS, "unwatched");
        // (the client gives every set a status object: an untouched one has no conditions and no revision)
        assertTrue((unwatched.getStatus().conditions == null || unwatched.getStatus().conditions.isEmpty())
            && unwatched.getStatus().revision == null && unwatched.getStatus().secretName == null,
            () -> "outside watchNamespaces nothing is reconciled: "
            + client.getKubernetesSerialization().asYaml(unwatched) + cluster.docker("ps", "-a").output()
            + cluster.kubectl("get", "pods", "-A").output());
    }
}
