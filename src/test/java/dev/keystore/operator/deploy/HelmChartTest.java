package dev.keystore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import dev.keystore.operator.testing.OperatorChart;
import dev.keystore.operator.testing.OperatorChart.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart linted and rendered by helm itself; the rendered objects are asserted, not the template text. */
class HelmChartTest {
    static final String NS = "keystore-system";

    static Container operator(Rendered rendered) {
        return rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Optional<EnvVar> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst();
    }

    @Test
    void helmLintIsClean() {
        LintResult lint = OperatorChart.lint();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void defaultsWatchAllNamespacesWithAClusterRoleBoundToTheChartsServiceAccount() {
        Rendered rendered = OperatorChart.render(NS);
        assertEquals(Map.of("ServiceAccount", 1L, "ClusterRole", 1L, "ClusterRoleBinding", 1L, "Deployment", 1L,
            "Service", 1L), rendered.kinds());
        ServiceAccount sa = rendered.one(ServiceAccount.class);
        assertEquals(NS, sa.getMetadata().getNamespace());
        ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
        assertEquals(rendered.one(ClusterRole.class).getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertServiceAccount(binding.getSubjects(), sa);
        assertEquals(sa.getMetadata().getName(),
            rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("JOSDK_ALL_NAMESPACES", env(operator(rendered), "QUARKUS_OPERATOR_SDK_NAMESPACES").orElseThrow().getValue());
    }

    static void assertServiceAccount(List<Subject> subjects, ServiceAccount sa) {
        assertEquals(1, subjects.size());
        assertEquals("ServiceAccount", subjects.get(0).getKind());
        assertEquals(sa.getMetadata().getName(), subjects.get(0).getName());
        assertEquals(sa.getMetadata().getNamespace(), subjects.get(0).getNamespace());
    }

    @Test
    void theRulesGrantNoWildcardAndNoWriteOnTheCustomResourcesButTheirStatus() {
        List<PolicyRule> rules = OperatorChart.render(NS).one(ClusterRole.class).getRules();
        for (PolicyRule rule : rules) {
            assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*")
                || rule.getApiGroups().contains("*"), "wildcard in " + rule);
            if (rule.getApiGroups().contains("keystore.dev")) {
                boolean status = rule.getResources().stream().allMatch(r -> r.endsWith("/status"));
                assertTrue(status || List.of("get", "list", "watch").containsAll(rule.getVerbs()),
                    "the operator writes status only: " + rule);
                assertTrue(!status || rule.getVerbs().equals(List.of("patch")), rule.toString());
            }
        }
        assertTrue(rules.stream().noneMatch(r -> r.getResources().contains("customresourcedefinitions")),
            "the operator needs no access to CRDs");
    }

    @Test
    void aNamespaceListGetsARoleAndBindingInEachNamespaceWithTheSameRulesAndNoClusterRole() {
        List<PolicyRule> clusterRules = OperatorChart.render(NS).one(ClusterRole.class).getRules();
        Rendered rendered = OperatorChart.render(NS, Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));
        assertTrue(rendered.all(ClusterRole.class).isEmpty());
        assertTrue(rendered.all(ClusterRoleBinding.class).isEmpty());
        List<Role> roles = rendered.all(Role.class);
        assertEquals(List.of("team-a", "team-b"), roles.stream().map(r -> r.getMetadata().getNamespace()).toList());
        ServiceAccount sa = rendered.one(ServiceAccount.class);
        for (Role role : roles) {
            assertEquals(clusterRules, role.getRules());
            RoleBinding binding = rendered.all(RoleBinding.class).stream()
                .filter(b -> b.getMetadata().getNamespace().equals(role.getMetadata().getNamespace())).findFirst()
                .orElseThrow();
            assertEquals("Role", binding.getRoleRef().getKind());
            assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
            assertServiceAccount(binding.getSubjects(), sa);
        }
        assertEquals("team-a,team-b", env(operator(rendered), "QUARKUS_OPERATOR_SDK_NAMESPACES").orElseThrow().getValue());
    }

    @Test
    void trustDistributionAddsItsClusterRoleAndEnvOnlyWhenEnabled() {
        Rendered off = OperatorChart.render(NS);
        assertTrue(off.all(ClusterRole.class).stream().noneMatch(r -> r.getMetadata().getName().endsWith("-trust-distribution")));
        assertTrue(env(operator(off), "KEYSTORE_OPERATOR_TRUST_DISTRIBUTION_ENABLED").isEmpty());
        assertTrue(off.one(ClusterRole.class).getRules().stream().noneMatch(r -> r.getResources().contains("namespaces")),
            "without distribution the operator cannot even list namespaces");

        for (Map<String, String> values : List.of(Map.of("trustDistribution.enabled", "true"),
            Map.of("trustDistribution.enabled", "true", "watchNamespaces[0]", "team-a"))) {
            Rendered on = OperatorChart.render(NS, values);
            ClusterRole role = on.named(ClusterRole.class, "keystore-operator-trust-distribution")
                .or(() -> on.all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName()
                    .endsWith("-trust-distribution")).findFirst()).orElseThrow();
            Map<String, List<String>> verbs = new java.util.TreeMap<>();
            for (PolicyRule rule : role.getRules()) {
                assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*"), rule.toString());
                rule.getResources().forEach(r -> verbs.put(r, rule.getVerbs()));
            }
            // least privilege: namespaces never read one by one, copies never watched (SecretTemplateAndDistributionIT)
            assertEquals(Map.of("namespaces", List.of("list", "watch"),
                "secrets", List.of("get", "list", "create", "update", "delete"),
                "configmaps", List.of("get", "list", "create", "update", "delete"),
                "trustbundles", List.of("get", "list", "watch", "patch")), verbs);
            ClusterRoleBinding binding = on.all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals(role.getMetadata().getName())).findFirst().orElseThrow();
            assertServiceAccount(binding.getSubjects(), on.one(ServiceAccount.class));
            assertEquals("true", env(operator(on), "KEYSTORE_OPERATOR_TRUST_DISTRIBUTION_ENABLED").orElseThrow().getValue());
        }
    }

    @Test
    void oneReplicaRunsWithoutLeaderElectionAndWithoutLeaseAccess() {
        Rendered rendered = OperatorChart.render(NS);
        assertEquals(1, rendered.one(Deployment.class).getSpec().getReplicas());
        assertTrue(env(operator(rendered), "KEYSTORE_OPERATOR_LEADER_ELECTION_ENABLED").isEmpty());
        assertTrue(rendered.all(Role.class).isEmpty());
        assertTrue(rendered.one(ClusterRole.class).getRules().stream().noneMatch(r -> r.getResources().contains("leases")));
    }

    @Test
    void leaderElectionCanBeAskedForWithOneReplica() {
        Rendered rendered = OperatorChart.render(NS, Map.of("leaderElection", "true"));
        assertEquals(1, rendered.one(Deployment.class).getSpec().getReplicas());
        assertEquals("true", env(operator(rendered), "KEYSTORE_OPERATOR_LEADER_ELECTION_ENABLED").orElseThrow().getValue());
        assertEquals(OperatorChart.render(NS, Map.of("replicas", "2")).one(Role.class).getRules(),
            rendered.one(Role.class).getRules(), "the same Lease rules as with more replicas");
    }

    @Test
    void moreReplicasElectALeaderThroughALeaseInTheReleaseNamespace() {
        Rendered rendered = OperatorChart.render(NS, Map.of("replicas", "2"));
        assertEquals(2, rendered.one(Deployment.class).getSpec().getReplicas());
        Container c = operator(rendered);
        assertEquals("true", env(c, "KEYSTORE_OPERATOR_LEADER_ELECTION_ENABLED").orElseThrow().getValue());
        assertEquals("metadata.namespace",
            env(c, "POD_NAMESPACE").orElseThrow().getValueFrom().getFieldRef().getFieldPath());
        Role lease = rendered.one(Role.class);
        assertEquals(NS, lease.getMetadata().getNamespace());
        assertEquals(List.of("coordination.k8s.io"), lease.getRules().stream().flatMap(r -> r.getApiGroups().stream())
            .distinct().toList());
        assertEquals(List.of("create"), lease.getRules().get(0).getVerbs());
        assertEquals(List.of("keystore-operator"), lease.getRules().get(1).getResourceNames());
        assertEquals(List.of("get", "update", "patch"), lease.getRules().get(1).getVerbs());
        RoleBinding binding = rendered.one(RoleBinding.class);
        assertEquals(lease.getMetadata().getName(), binding.getRoleRef().getName());
        assertServiceAccount(binding.getSubjects(), rendered.one(ServiceAccount.class));
    }

    @Test
    void rbacAndServiceAccountCanBeLeftToTheCluster() {
        Rendered rendered = OperatorChart.render(NS, Map.of("rbac.create", "false", "serviceAccount.create", "false",
            "serviceAccount.name", "platform-operator", "replicas", "2"));
        assertEquals(Map.of("Deployment", 1L, "Service", 1L), rendered.kinds());
        assertEquals("platform-operator", rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> OperatorChart.render(NS, Map.of("serviceAccount.create", "false")));
        assertTrue(e.getMessage().contains("serviceAccount.name is required"), e.getMessage());
    }

    @Test
    void thePodIsLockedDown() {
        Rendered rendered = OperatorChart.render(NS);
        PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        Container c = operator(rendered);
        var sc = c.getSecurityContext();
        assertEquals(Boolean.TRUE, sc.getRunAsNonRoot());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
        assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
        assertNull(sc.getPrivileged());
        // a read-only root needs a writable /tmp for the JVM
        var tmp = c.getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst().orElseThrow();
        assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow()
            .getEmptyDir());
    }

    @Test
    void resourcesAndJvmHeapFollowTheValues() {
        Container c = operator(OperatorChart.render(NS));
        assertEquals(new Quantity("100m"), c.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("384Mi"), c.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("1"), c.getResources().getLimits().get("cpu"));
        assertEquals(new Quantity("512Mi"), c.getResources().getLimits().get("memory"));
        assertEquals("-XX:MaxRAMPercentage=50 -XX:+UseSerialGC", env(c, "JAVA_TOOL_OPTIONS").orElseThrow().getValue());
        assertEquals("INFO", env(c, "QUARKUS_LOG_LEVEL").orElseThrow().getValue());

        Container tuned = operator(OperatorChart.render(NS, Map.of("resources.limits.memory", "1Gi",
            "jvm.maxRAMPercentage", "70", "jvm.extraOptions", "-XX:+ExitOnOutOfMemoryError", "logLevel", "DEBUG",
            "image.repository", "registry.example/keystore-operator", "image.tag", "1.2.3")));
        assertEquals(new Quantity("1Gi"), tuned.getResources().getLimits().get("memory"));
        assertEquals("-XX:MaxRAMPercentage=70 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError",
            env(tuned, "JAVA_TOOL_OPTIONS").orElseThrow().getValue());
        // the measured options can be replaced as a whole (extraOptions only adds to them)
        Container replaced = operator(OperatorChart.render(NS, Map.of("jvm.options[0]", "-XX:+UseG1GC", "jvm.options[1]", "-Xss512k")));
        assertEquals("-XX:MaxRAMPercentage=50 -XX:+UseG1GC -Xss512k", env(replaced, "JAVA_TOOL_OPTIONS").orElseThrow().getValue());
        assertEquals("DEBUG", env(tuned, "QUARKUS_LOG_LEVEL").orElseThrow().getValue());
        assertEquals("registry.example/keystore-operator:1.2.3", tuned.getImage());
        assertEquals("keystore-operator:0.1.0", c.getImage());
    }

    @Test
    void probesUseTheQuarkusHealthEndpointsOnTheHttpPort() {
        Container c = operator(OperatorChart.render(NS));
        assertEquals(8080, c.getPorts().get(0).getContainerPort());
        assertEquals("http", c.getPorts().get(0).getName());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
    }

    @Test
    void hostNetworkHttpPortAndExtraEnvAreOptionalValues() {
        PodSpec defaults = OperatorChart.render(NS).one(Deployment.class).getSpec().getTemplate().getSpec();
        assertNull(defaults.getHostNetwork());
        assertEquals("8080", env(defaults.getContainers().get(0), "QUARKUS_HTTP_PORT").orElseThrow().getValue());
        assertEquals("metadata.name", env(defaults.getContainers().get(0), "POD_NAME").orElseThrow().getValueFrom()
            .getFieldRef().getFieldPath(), "the leader election identity is the pod's name");

        assertNull(OperatorChart.render(NS).one(Deployment.class).getSpec().getStrategy());
        Deployment onNodeDeployment = OperatorChart.render(NS, Map.of("hostNetwork", "true", "httpPort", "18080",
            "extraEnv[0].name", "KUBERNETES_SERVICE_PORT", "extraEnv[0].value", "6443",
            "extraEnv[1].name", "NODE", "extraEnv[1].valueFrom.fieldRef.fieldPath", "spec.nodeName"))
            .one(Deployment.class);
        // one port per node: an update replaces the pod instead of starting a second one beside it
        assertEquals(0, onNodeDeployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(1, onNodeDeployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        PodSpec onNode = onNodeDeployment.getSpec().getTemplate().getSpec();
        assertTrue(onNode.getHostNetwork());
        assertEquals("ClusterFirstWithHostNet", onNode.getDnsPolicy());
        Container c = onNode.getContainers().get(0);
        assertEquals(18080, c.getPorts().get(0).getContainerPort());
        assertEquals("18080", env(c, "QUARKUS_HTTP_PORT").orElseThrow().getValue());
        assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
        // on the node's network the kubelet probes loopback, never the node's own address
        assertEquals("127.0.0.1", c.getReadinessProbe().getHttpGet().getHost());
        assertEquals("127.0.0.1", c.getLivenessProbe().getHttpGet().getHost());
        assertNull(defaults.getContainers().get(0).getReadinessProbe().getHttpGet().getHost());
        assertEquals("6443", env(c, "KUBERNETES_SERVICE_PORT").orElseThrow().getValue(), "a number becomes a string");
        assertEquals("spec.nodeName", env(c, "NODE").orElseThrow().getValueFrom().getFieldRef().getFieldPath());
    }

    @Test
    void metricsServiceSelectsTheOperatorPodAndTheServiceMonitorIsOptional() {
        Rendered rendered = OperatorChart.render(NS);
        Service service = rendered.one(Service.class);
        var port = service.getSpec().getPorts().get(0);
        assertEquals(8080, port.getPort());
        assertEquals("http", port.getTargetPort().getStrVal());
        Map<String, String> podLabels = rendered.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
        assertTrue(rendered.all(GenericKubernetesResource.class).isEmpty());

        Rendered monitored = OperatorChart.render(NS, Map.of("metrics.serviceMonitor.enabled", "true"));
        GenericKubernetesResource monitor = monitored.one(GenericKubernetesResource.class);
        assertEquals("ServiceMonitor", monitor.getKind());
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) monitor
            .getAdditionalProperties().get("spec")).get("endpoints")).get(0);
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals(port.getName(), endpoint.get("port"));

        assertTrue(OperatorChart.render(NS, Map.of("metrics.service.enabled", "false")).all(Service.class).isEmpty());
    }

    @Test
    void theChartsCrdsAreTheFilesInDeployCrds() throws Exception {
        Path committed = OperatorChart.PROJECT.resolve("deploy/crds");
        Path chart = OperatorChart.DIR.resolve("crds");
        List<String> names = names(committed);
        assertEquals(List.of("keystoresets.keystore.dev-v1.yml", "trustbundles.keystore.dev-v1.yml"), names);
        assertEquals(names, names(chart), "the chart's crds/ must hold the files of deploy/crds/: run hack/update-crds.sh");
        for (String name : names) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(committed.resolve(name)),
                Files.readAllBytes(chart.resolve(name))),
                "deploy/helm/keystore-operator/crds/" + name + " differs from deploy/crds/: run hack/update-crds.sh");
        }
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
