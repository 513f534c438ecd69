package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.keystore.operator.testing.OperatorChart;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart installed by helm into a real kube-apiserver that has no CRDs yet (the chart brings them),
 * then the operator jar run with the installed Deployment's environment, as the installed
 * ServiceAccount (impersonation), through the whole permission scenario. No kubelet: the
 * Deployment's pods never run, the jar stands in for them.
 */
class HelmInstallIT {
    static final String NS = "keystore-system";
    static final String APPS = "apps";
    static RealCluster cluster;
    static KubernetesClient client;
    static Release release;

    @BeforeAll
    static void install() throws Exception {
        cluster = RealCluster.startWithoutCrds("HelmInstallIT");
        client = cluster.client();
        release = new Helm(OperatorChart.DIR).install().withName(OperatorChart.RELEASE).withNamespace(NS)
            .createNamespace().withKubeConfig(cluster.kubeconfig()).set("replicas", "2").call();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The container's environment as the kubelet would give it (fieldRefs metadata.namespace and .name resolved). */
    static Map<String, String> environment(Container container, String namespace) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                assertTrue(field.equals("metadata.namespace") || field.equals("metadata.name"), e.getName() + ": " + field);
                env.put(e.getName(), field.equals("metadata.name") ? "keystore-operator-it" : namespace);
            } else {
                env.put(e.getName(), e.getValue());
            }
        }
        env.put("QUARKUS_HTTP_PORT", "0"); // a local process beside others: any free port, not the chart's
        return env;
    }

    @Test
    void theReleaseIsDeployedWithItsCrdsEstablished() {
        assertEquals("deployed", release.getStatus());
        assertEquals(NS, release.getNamespace());
        for (String crd : List.of("keystoresets.keystore.dev", "trustbundles.keystore.dev")) {
            CustomResourceDefinition installed = client.apiextensions().v1().customResourceDefinitions().withName(crd).get();
            assertNotNull(installed, crd);
            assertTrue(installed.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())), crd);
        }
        assertNotNull(client.serviceAccounts().inNamespace(NS).withName(OperatorChart.RELEASE).get());
        assertNotNull(client.rbac().clusterRoles().withName(OperatorChart.RELEASE).get());
        assertNotNull(client.rbac().clusterRoleBindings().withName(OperatorChart.RELEASE).get());
        assertNotNull(client.rbac().roles().inNamespace(NS).withName(OperatorChart.RELEASE + "-leader-election").get());
        assertNotNull(client.services().inNamespace(NS).withName(OperatorChart.RELEASE + "-metrics").get());
        Deployment deployment = client.apps().deployments().inNamespace(NS).withName(OperatorChart.RELEASE).get();
        assertEquals(2, deployment.getSpec().getReplicas());
    }

    @Test
    void theOperatorRunsTheScenarioWithExactlyTheInstalledPermissions() throws Exception {
        cluster.createNamespace(APPS);
        PermissionScenario scenario = new PermissionScenario(client, APPS);
        scenario.create();
        Deployment deployment = client.apps().deployments().inNamespace(NS).withName(OperatorChart.RELEASE).get();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = environment(container, NS);
        env.put("KUBERNETES_IMPERSONATE_USERNAME", "system:serviceaccount:" + NS + ":"
            + deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        RealCluster.Operator operator = cluster.startOperator("HelmInstallIT", env);
        try {
            RealCluster.await("the scenario as the chart's ServiceAccount: " + scenario.failing(), Duration.ofSeconds(120),
                scenario::done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + operator.output(), e);
        }
        String log = operator.output();
        assertFalse(log.toLowerCase().contains("forbidden"), "the chart's rules are enough: " + log);
        assertTrue(Files.size(operator.log()) > 0);
        operator.stop();
    }

    @Test
    void aReleaseForANamespaceListWorksInThoseNamespacesWithRolesOnly() throws Exception {
        String releaseNs = "team-operator";
        List<String> teams = List.of("team-a", "team-b");
        teams.forEach(cluster::createNamespace);
        Release teamRelease = new Helm(OperatorChart.DIR).install().withName("teams").withNamespace(releaseNs)
            .createNamespace().withKubeConfig(cluster.kubeconfig())
            .set("watchNamespaces[0]", teams.get(0)).set("watchNamespaces[1]", teams.get(1)).call();
        assertEquals("deployed", teamRelease.getStatus());
        for (String team : teams) {
            assertNotNull(client.rbac().roles().inNamespace(team).withName("teams-keystore-operator").get(), team);
            new PermissionScenario(client, team).create();
        }
        assertTrue(client.rbac().clusterRoles().withName("teams-keystore-operator").get() == null);
        Deployment deployment = client.apps().deployments().inNamespace(releaseNs).withName("teams-keystore-operator").get();
        Map<String, String> env = environment(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), releaseNs);
        env.put("KUBERNETES_IMPERSONATE_USERNAME", "system:serviceaccount:" + releaseNs + ":"
            + deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        RealCluster.Operator operator = cluster.startOperator("HelmInstallIT-teams", env);
        try {
            for (String team : teams) {
                PermissionScenario scenario = new PermissionScenario(client, team);
                RealCluster.await(team + ": " + scenario.failing(), Duration.ofSeconds(120), scenario::done);
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + operator.output(), e);
        }
        assertFalse(operator.output().toLowerCase().contains("forbidden"), operator.output());
        operator.stop();
    }
}
