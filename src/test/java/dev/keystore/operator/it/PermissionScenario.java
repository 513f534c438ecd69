package dev.keystore.operator.it;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.WorkloadRollout;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A KeystoreSet + TrustBundle scenario in one namespace that needs every permission the operator
 * asks for: CRs read, watched and their status patched; Secrets read (sources), created (outputs,
 * -ca, -internal), updated (a stale bundle Secret of ours), deleted (an output Secret of ours whose
 * type must change); a ConfigMap source; Events; the rollout patch on a Deployment, a StatefulSet
 * and a DaemonSet. The objects are created by the test (as admin); the operator does the rest.
 */
final class PermissionScenario {
    static final String SET = "app";
    static final String SOURCE_SET = "upstream";
    static final String OUTPUT = "app-keystores";
    static final String BUNDLE = "roots";
    /** In the bundle: partner CA (Secret), vendor CA (ConfigMap), the upstream set's CA. */
    static final int BUNDLED = 3;

    private final KubernetesClient client;
    private final String ns;

    PermissionScenario(KubernetesClient client, String ns) {
        this.client = client;
        this.ns = ns;
    }

    void create() {
        client.resource(yaml("""
            apiVersion: v1
            kind: Secret
            metadata: {name: partner-ca}
            stringData:
              ca.crt: |
            %s""".formatted(indent(Pem.encode(List.of(TestKeys.ecCa("partner CA").certificate())), 4)))).create();
        client.resource(yaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: vendor-ca}
            data:
              ca.crt: |
            %s""".formatted(indent(Pem.encode(List.of(TestKeys.ecCa("vendor CA").certificate())), 4)))).create();
        // ours (labels) but of a type the output Secret no longer has: replaced, which needs delete
        client.resource(yaml("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: %s
              labels: {app.kubernetes.io/managed-by: keystore-operator, keystore.dev/keystoreset: %s}
            type: keystore.dev/legacy
            """.formatted(OUTPUT, SET))).create();
        // ours, with stale content: updated in place
        client.resource(yaml("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: %s
              labels: {app.kubernetes.io/managed-by: keystore-operator, keystore.dev/trustbundle: %s}
            stringData: {stale: "from an older release"}
            """.formatted(BUNDLE, BUNDLE))).create();
        for (String kind : List.of("Deployment", "StatefulSet", "DaemonSet")) {
            client.resource(yaml("""
                apiVersion: apps/v1
                kind: %s
                metadata: {name: %s}
                spec:
                  %s
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec: {containers: [{name: app, image: "example.invalid/app:1"}]}
                """.formatted(kind, workload(kind), kind.equals("StatefulSet") ? "serviceName: db" : "",
                workload(kind), workload(kind)))).create();
        }
        client.resource(yaml("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: %s}
            spec:
              sources:
              - secret: {name: partner-ca, key: ca.crt}
              - configMap: {name: vendor-ca, key: ca.crt}
              - keystoreSet: {name: %s}
              target: {formats: [PKCS12, PEM]}
            """.formatted(BUNDLE, SOURCE_SET))).create();
        client.resource(yaml("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: %s}
            spec:
              issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
              tls: {privateKey: {algorithm: EC, size: 256}}
            """.formatted(SOURCE_SET))).create();
        client.resource(yaml("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: %s}
            spec:
              issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
              tls: {dnsNames: [app.example.com], privateKey: {algorithm: EC, size: 256}}
              internal: {privateKey: {algorithm: RSA, size: 2048}}
              truststore: {trustBundleRefs: [{name: %s}]}
              rollout:
              - {kind: Deployment, name: web}
              - {kind: StatefulSet, name: db}
              - {kind: DaemonSet, name: agent}
            """.formatted(SET, BUNDLE))).create();
    }

    static String workload(String kind) {
        return switch (kind) {
            case "Deployment" -> "web";
            case "StatefulSet" -> "db";
            default -> "agent";
        };
    }

    private HasMetadata yaml(String text) {
        HasMetadata object = client.getKubernetesSerialization().unmarshal(text, HasMetadata.class);
        object.getMetadata().setNamespace(ns);
        return object;
    }

    private static String indent(String text, int spaces) {
        return text.lines().map(l -> " ".repeat(spaces) + l).reduce("", (a, b) -> a + b + "\n");
    }

    /** Each step of the scenario and whether it is done now. */
    Map<String, Boolean> steps() {
        Map<String, Boolean> steps = new LinkedHashMap<>();
        KeystoreSet set = client.resources(KeystoreSet.class).inNamespace(ns).withName(SET).get();
        TrustBundle bundle = client.resources(TrustBundle.class).inNamespace(ns).withName(BUNDLE).get();
        steps.put("KeystoreSet Ready for its generation", set != null && set.getStatus() != null
            && ready(set.getStatus().conditions)
            && Objects.equals(set.getStatus().observedGeneration, set.getMetadata().getGeneration()));
        steps.put("KeystoreSet truststore holds the TrustBundle", set != null && set.getStatus() != null
            && set.getStatus().truststore != null && Objects.equals(set.getStatus().truststore.certificates, BUNDLED + 1));
        steps.put("TrustBundle Ready with every source", bundle != null && bundle.getStatus() != null
            && ready(bundle.getStatus().conditions) && Objects.equals(bundle.getStatus().certificates, BUNDLED));
        steps.put("output Secret replaced (type changed)", secret(OUTPUT, s -> "Opaque".equals(s.getType())
            && ManagedSecret.decode(s).containsKey("tls.p12")));
        steps.put("-ca Secret written", secret(OUTPUT + "-ca", s -> true));
        steps.put("-internal Secret written and kept", secret(OUTPUT + "-internal",
            s -> s.getMetadata().getAnnotations() != null
                && "keep".equals(s.getMetadata().getAnnotations().get("helm.sh/resource-policy"))));
        steps.put("stale bundle Secret updated", secret(BUNDLE, s -> {
            Map<String, byte[]> data = ManagedSecret.decode(s);
            return data.containsKey("truststore.p12") && !data.containsKey("stale");
        }));
        String revision = set == null || set.getStatus() == null || set.getStatus().revision == null ? null
            : set.getStatus().revision.toString();
        steps.put("Deployment rolled", rolled(Deployment.class, "web", d -> d.getSpec().getTemplate(), revision));
        steps.put("StatefulSet rolled", rolled(StatefulSet.class, "db", d -> d.getSpec().getTemplate(), revision));
        steps.put("DaemonSet rolled", rolled(DaemonSet.class, "agent", d -> d.getSpec().getTemplate(), revision));
        steps.put("Issued Event recorded", client.v1().events().inNamespace(ns).list().getItems().stream()
            .anyMatch(e -> SET.equals(e.getInvolvedObject().getName()) && "Issued".equals(e.getReason())));
        return steps;
    }

    List<String> failing() {
        return steps().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    boolean done() {
        return failing().isEmpty();
    }

    private static boolean ready(List<Condition> conditions) {
        return conditions != null && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private boolean secret(String name, Predicate<Secret> check) {
        Secret s = client.secrets().inNamespace(ns).withName(name).get();
        return s != null && check.test(s);
    }

    private <T extends HasMetadata> boolean rolled(Class<T> type, String name, Function<T, PodTemplateSpec> template,
                                                 String revision) {
        T workload = client.resources(type).inNamespace(ns).withName(name).get();
        if (workload == null || revision == null) {
            return false;
        }
        Map<String, String> annotations = template.apply(workload).getMetadata().getAnnotations();
        return annotations != null && revision.equals(annotations.get(WorkloadRollout.REVISION_ANNOTATION));
    }
}
