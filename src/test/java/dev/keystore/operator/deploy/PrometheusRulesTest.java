package dev.keystore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keystore.operator.testing.OperatorChart;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules of deploy/prometheus/ checked and unit-tested by Debian's promtool (series that
 * fire each alert and series that do not, in src/test/resources/prometheus/), and the chart's
 * PrometheusRule rendered by helm holding the same rules.
 */
class PrometheusRulesTest {
    static final Path RULES = OperatorChart.PROJECT.resolve("deploy/prometheus/keystore-operator-rules.yaml");
    static final Path CHART_RULES = OperatorChart.DIR.resolve("files/keystore-operator-rules.yaml");
    static final Path RULE_TESTS = OperatorChart.PROJECT.resolve("src/test/resources/prometheus/keystore-operator-rules-test.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @BeforeAll
    static void promtoolIsInstalled() {
        Tools.Run version = Tools.run("sh", "-c", "command -v promtool && promtool --version");
        assertEquals(0, version.exitCode(), "promtool is missing: run hack/install-prometheus.sh\n" + version.output());
    }

    @Test
    void promtoolChecksTheRuleFile() {
        Tools.Run check = Tools.run("promtool", "check", "rules", RULES.toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: 6 rules found"), check.output());
    }

    @Test
    void promtoolRuleTestsPassWithSeriesThatFireAndSeriesThatDoNot() {
        Tools.Run test = Tools.run("promtool", "test", "rules", RULE_TESTS.toString());
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    /** The rule tests have teeth: a 20-day threshold, a readiness alert without its 15 minutes, or another CSR wait, fails them. */
    @Test
    void theRuleTestsFailOnAChangedThresholdOrDelay() throws Exception {
        String rules = Files.readString(RULES);
        assertTrue(rules.contains("< 14 * 86400") && rules.contains("for: 15m") && rules.contains("> 7 * 86400"));
        assertNotEquals(0, ruleTestsAgainst(rules.replace("< 14 * 86400", "< 20 * 86400")).exitCode());
        assertNotEquals(0, ruleTestsAgainst(rules.replace("for: 15m", "for: 5m")).exitCode());
        assertNotEquals(0, ruleTestsAgainst(rules.replace("> 7 * 86400", "> 9 * 86400")).exitCode());
        assertNotEquals(0, ruleTestsAgainst(rules.replace("> 7 * 86400", "> 2 * 86400")).exitCode());
        assertEquals(0, ruleTestsAgainst(rules).exitCode(), "the copy itself passes");
    }

    private Tools.Run ruleTestsAgainst(String rules) throws Exception {
        Path root = Files.createTempDirectory(dir, "copy");
        Path tests = root.resolve("src/test/resources/prometheus/tests.yaml");
        Files.createDirectories(tests.getParent());
        Files.createDirectories(root.resolve("deploy/prometheus"));
        Files.writeString(root.resolve("deploy/prometheus/keystore-operator-rules.yaml"), rules);
        Files.copy(RULE_TESTS, tests);
        return Tools.run("promtool", "test", "rules", tests.toString());
    }

    @Test
    void theChartCarriesTheSameRuleFile() throws Exception {
        assertArrayEquals(Files.readAllBytes(RULES), Files.readAllBytes(CHART_RULES),
            "deploy/helm/keystore-operator/files/keystore-operator-rules.yaml differs from deploy/prometheus/: "
                + "cp deploy/prometheus/keystore-operator-rules.yaml deploy/helm/keystore-operator/files/");
    }

    @Test
    void thePrometheusRuleIsOffByDefaultAndHoldsTheRuleFilesGroupsWhenOn() throws Exception {
        assertTrue(OperatorChart.render("monitoring").all(GenericKubernetesResource.class).stream()
            .noneMatch(o -> "PrometheusRule".equals(o.getKind())));

        GenericKubernetesResource rule = prometheusRule(Map.of("metrics.prometheusRule.enabled", "true",
            "metrics.prometheusRule.labels.release", "kube-prometheus-stack"));
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        assertEquals("monitoring", rule.getMetadata().getNamespace());
        assertEquals("kube-prometheus-stack", rule.getMetadata().getLabels().get("release"));
        assertEquals(YAML.readValue(RULES.toFile(), Map.class).get("groups"), spec(rule).get("groups"));

        // what the chart renders is itself a rule file promtool accepts
        Path rendered = dir.resolve("rendered.yaml");
        YAML.writeValue(rendered.toFile(), Map.of("groups", spec(rule).get("groups")));
        Tools.Run check = Tools.run("promtool", "check", "rules", rendered.toString());
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void theExpiryThresholdComesFromTheValues() {
        GenericKubernetesResource rule = prometheusRule(Map.of("metrics.prometheusRule.enabled", "true",
            "metrics.prometheusRule.expiringWithinDays", "30"));
        String expr = rules(rule).stream().filter(r -> "KeystoreCertificateExpiringSoon".equals(r.get("alert")))
            .map(r -> (String) r.get("expr")).findFirst().orElseThrow();
        assertEquals("(keystore_certificate_not_after_timestamp_seconds - time() < 30 * 86400) >= 0", expr);
        // the other rules are untouched
        assertEquals(rules(prometheusRule(Map.of("metrics.prometheusRule.enabled", "true"))).size(), rules(rule).size());
    }

    static GenericKubernetesResource prometheusRule(Map<String, String> values) {
        return OperatorChart.render("monitoring", values).all(GenericKubernetesResource.class).stream()
            .filter(o -> "PrometheusRule".equals(o.getKind())).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource rule) {
        return (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(GenericKubernetesResource rule) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) spec(rule).get("groups");
        return groups.stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
    }
}
