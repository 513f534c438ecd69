package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.OperatorChart;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven on a real API server: the operator jar runs as the chart's ServiceAccount
 * (impersonated with the admin credentials) with the chart's namespaced Roles, rendered by helm for
 * watchNamespaces=[ns] and replicas=2. With every rule the whole {@link PermissionScenario}
 * succeeds; with any one verb of any one resource taken away, some step of it fails.
 * Each run has its own namespace and operator process, so runs go side by side.
 */
class RbacIT {
    static final long LEASE_TERM_MS = 25_000;
    static final int PARALLEL = 4;
    static final long RUN_TIMEOUT_MS = 90_000;
    /** After a refusal, how long the failing steps must stay the same before the run is judged. */
    static final long SETTLE_MS = 10_000;
    static final String LEASE = "keystore-operator";
    static RealCluster cluster;
    static KubernetesClient client;

    /** One verb on one resource (optionally restricted to names), granted by one of the chart's Roles. */
    record Grant(String role, String apiGroup, String resource, String verb, List<String> resourceNames) {
        @Override
        public String toString() {
            return (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                + (resourceNames.isEmpty() ? "" : resourceNames.toString()) + " " + verb;
        }
    }

    record Run(Grant removed, List<String> failing, boolean exited, String refusal, String log) {
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("RbacIT");
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static OperatorChart.Rendered chart(String ns) {
        return OperatorChart.render(ns, Map.of("watchNamespaces[0]", ns, "replicas", "2"));
    }

    static List<Grant> grants(List<Role> roles) {
        List<Grant> grants = new ArrayList<>();
        for (Role role : roles) {
            for (PolicyRule rule : role.getRules()) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            grants.add(new Grant(role.getMetadata().getName(), group, resource, verb,
                                rule.getResourceNames() == null ? List.of() : rule.getResourceNames()));
                        }
                    }
                }
            }
        }
        return grants;
    }

    /** The role with one grant taken away (the rest as one rule per grant, which grants the same). */
    static Role without(Role role, Grant removed) {
        if (removed == null || !removed.role().equals(role.getMetadata().getName())) {
            return role;
        }
        List<PolicyRule> rules = grants(List.of(role)).stream().filter(g -> !g.equals(removed))
            .map(g -> new PolicyRuleBuilder().withApiGroups(g.apiGroup()).withResources(g.resource())
                .withVerbs(g.verb()).withResourceNames(g.resourceNames()).build()).toList();
        assertEquals(grants(List.of(role)).size() - 1, rules.size());
        return new RoleBuilder(role).withRules(rules).build();
    }

    /** The operator's environment from the chart's Deployment, acting as the chart's ServiceAccount. */
    static Map<String, String> environment(OperatorChart.Rendered chart, String ns) {
        Deployment deployment = chart.one(Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = HelmInstallIT.environment(container, ns);
        env.put("KUBERNETES_IMPERSONATE_USERNAME", "system:serviceaccount:" + ns + ":"
            + deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        // many operators share two cores here: a small heap and the quick JIT only
        env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return env;
    }

    /** Creates ns with the chart's RBAC (minus one grant, or without bindings), runs the scenario, judges it. */
    static Run run(String ns, Grant removed, boolean bind) throws Exception {
        cluster.createNamespace(ns);
        OperatorChart.Rendered chart = chart(ns);
        client.resource(chart.one(ServiceAccount.class)).create();
        for (Role role : chart.all(Role.class)) {
            client.resource(without(role, removed)).create();
        }
        if (bind) {
            chart.all(RoleBinding.class).forEach(b -> client.resource(b).create());
        }
        PermissionScenario scenario = new PermissionScenario(client, ns);
        scenario.create();
        RealCluster.Operator operator = cluster.startOperator("RbacIT-" + ns, environment(chart, ns));
        long end = System.currentTimeMillis() + RUN_TIMEOUT_MS;
        List<String> failing = scenario.failing();
        long stableSince = System.currentTimeMillis();
        String refusal = null;
        long refusedAt = 0;
        boolean exited = false;
        while (!failing.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(500);
            exited = !operator.process().isAlive();
            if (refusal == null) {
                // the API server's 403, as an exception, a refused rollout patch, or JOSDK's lease check
                refusal = operator.output().lines().filter(l -> l.toLowerCase().contains("forbidden")
                    || l.contains("Received 403") || l.contains("(403)") || l.contains("missing required verbs"))
                    .findFirst().orElse(null);
                refusedAt = System.currentTimeMillis();
            }
            List<String> now = scenario.failing();
            if (!now.equals(failing)) {
                failing = now;
                stableSince = System.currentTimeMillis();
            }
            // judged once refused and nothing has moved for a while since (the other steps had their chance)
            if (exited || refusal != null && System.currentTimeMillis() - Math.max(stableSince, refusedAt) > SETTLE_MS) {
                break;
            }
        }
        failing = scenario.failing();
        if (failing.isEmpty() && bind && (removed == null || removed.resource().equals("leases"))) {
            // a leader must also keep its Lease: renewals come after the first term (JOSDK's default 15 s)
            Thread.sleep(LEASE_TERM_MS);
            if (!operator.process().isAlive()) {
                exited = true;
                failing = List.of("the operator stopped leading: it could not renew its Lease");
            }
        }
        operator.stop();
        return new Run(removed, failing, exited, refusal, operator.output());
    }

    static boolean leaseExists(String ns) {
        return client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace(ns)
            .withName(LEASE).get() != null;
    }

    @Test
    void theChartsRulesAreEnoughAndEveryOneOfThemIsNeeded() throws Exception {
        List<Role> roles = chart("rbac-all").all(Role.class);
        List<Grant> grants = grants(roles);
        assertTrue(grants.size() > 20, grants.toString());

        Run all = run("rbac-all", null, true);
        assertEquals(List.of(), all.failing(), "with every rule of the chart the scenario succeeds:\n" + all.log());
        assertTrue(all.refusal() == null, "nothing refused with every rule: " + all.refusal());
        assertTrue(leaseExists("rbac-all"), "the chart's env (replicas 2) turns leader election on");

        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<Future<Run>> runs = new ArrayList<>();
        // without any binding: the operator is refused as the ServiceAccount, so impersonation is in effect
        runs.add(pool.submit(() -> run("rbac-none", null, false)));
        List<Grant> byRun = new ArrayList<>(grants);
        for (int i = 0; i < byRun.size(); i++) {
            Grant g = byRun.get(i);
            String ns = "rbac-%02d".formatted(i);
            runs.add(pool.submit(() -> run(ns, g, true)));
        }
        pool.shutdown();

        Run none = runs.get(0).get();
        assertFalse(none.failing().isEmpty());
        assertTrue(none.refusal() != null && none.refusal().contains("system:serviceaccount:rbac-none:"),
            "refused as the ServiceAccount: " + none.refusal());
        List<String> spare = new ArrayList<>();
        for (Future<Run> future : runs.subList(1, runs.size())) {
            Run r = future.get();
            System.out.printf("[rbac] without %s: %s%n         refused: %s%n", r.removed(),
                r.failing().isEmpty() ? "NOTHING FAILED" : r.exited() ? "the operator stopped (" + String.join("; ", r.failing()) + ")"
                    : "failed: " + String.join("; ", r.failing()), refusal(r.refusal()));
            if (r.failing().isEmpty()) {
                spare.add(r.removed().toString());
            }
        }
        assertEquals(List.of(), spare, "rules nothing needs");
    }

    static final java.util.regex.Pattern REFUSAL = java.util.regex.Pattern.compile(
        "(\\S+ is forbidden: User \"[^\"]+\" cannot .+?(?=\\. Received|$)|missing required verbs: \\[[^]]*])");

    /** The API server's words for a refusal, e.g. 'secrets "x" is forbidden: User "..." cannot delete ...'. */
    static String refusal(String line) {
        if (line == null) {
            return "(none logged)";
        }
        var m = REFUSAL.matcher(line);
        if (m.find()) {
            return m.group(1);
        }
        int at = Math.max(Math.max(line.indexOf("Not rolled"), line.indexOf("Received 403")), 0);
        return line.substring(at, Math.min(line.length(), at + 200));
    }
}
