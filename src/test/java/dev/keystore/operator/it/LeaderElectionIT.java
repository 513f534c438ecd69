package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two operator processes with leader election on one real API server: one writes, the other takes over. */
class LeaderElectionIT {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final String NS = "operators";
    static RealCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("LeaderElectionIT");
        client = cluster.client();
        cluster.createNamespace(NS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Map<String, String> env() {
        return Map.of("KEYSTORE_OPERATOR_LEADER_ELECTION_ENABLED", "true", "POD_NAMESPACE", NS);
    }

    static String holder() {
        Lease lease = client.leases().inNamespace(NS).withName("keystore-operator").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static boolean ready(String name) {
        KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(name).get();
        return s != null && s.getStatus() != null && s.getStatus().conditions != null && s.getStatus().conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static void createSet(String name) {
        client.resource(client.getKubernetesSerialization().<HasMetadata>unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: %s, namespace: operators}
            spec:
              tls: {dnsNames: [%s.operators.svc], privateKey: {algorithm: EC, size: 256}}
            """.formatted(name, name))).create();
    }

    /** Whether the operator's log shows it wrote for this set (EventRecorder logs each Event it records). */
    static boolean wroteFor(RealCluster.Operator operator, String set) {
        return operator.output().contains(NS + "/" + set + " Normal Issued");
    }

    @Test
    void onlyTheLeaderWritesAndTheOtherTakesOverWhenItDies() throws Exception {
        RealCluster.Operator a = cluster.startOperator("LeaderElectionIT-a", env());
        Process first = a.process();
        RealCluster.await("a lease holder", TIMEOUT, () -> holder() != null);
        RealCluster.Operator b = cluster.startOperator("LeaderElectionIT-b", env());
        Process second = b.process();
        String leader = holder();
        assertTrue(leader.endsWith("-" + first.pid()), "the first process leads: " + leader);
        Thread.sleep(5000); // the second one is up and waiting for the lease

        createSet("one");
        RealCluster.await("one Ready", TIMEOUT, () -> ready("one"));
        assertTrue(wroteFor(a, "one"), "the leader wrote");
        assertFalse(wroteFor(b, "one"), "the follower did not");
        assertTrue(second.isAlive(), "the follower waits, it does not exit");

        first.destroyForcibly();
        assertTrue(first.waitFor(20, TimeUnit.SECONDS));
        RealCluster.await("the second process holds the lease", TIMEOUT, () -> {
            String now = holder();
            return now != null && now.endsWith("-" + second.pid());
        });
        assertNotEquals(leader, holder());
        createSet("two");
        RealCluster.await("two Ready", TIMEOUT, () -> ready("two"));
        assertTrue(wroteFor(b, "two"), "the new leader writes");
        assertEquals(1, client.resources(KeystoreSet.class).inNamespace(NS).withName("one").get().getStatus().revision,
            "the new leader did not rewrite what the old one wrote");
    }
}
