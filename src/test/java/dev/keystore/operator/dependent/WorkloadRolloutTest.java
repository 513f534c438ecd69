package dev.keystore.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.WorkloadKind;
import dev.keystore.operator.api.v1alpha1.WorkloadRef;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** api.md "rollout": the pod template annotation follows the revision only when the output Secret changed. */
@EnableKubernetesMockClient(crud = true)
class WorkloadRolloutTest {
    static KubernetesClient client;

    static List<WorkloadRef> rollout(String name) {
        WorkloadRef ref = new WorkloadRef();
        ref.kind = WorkloadKind.Deployment;
        ref.name = name;
        return List.of(ref);
    }

    static Deployment create(String name, String revision) {
        DeploymentBuilder d = new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
            .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().endTemplate().endSpec();
        Deployment built = d.build();
        if (revision != null) {
            built.getSpec().getTemplate().getMetadata().setAnnotations(Map.of(WorkloadRollout.REVISION_ANNOTATION, revision));
        }
        return client.apps().deployments().inNamespace("test").resource(built).create();
    }

    static String annotation(String name) {
        Map<String, String> a = client.apps().deployments().inNamespace("test").withName(name).get().getSpec().getTemplate()
            .getMetadata().getAnnotations();
        return a == null ? null : a.get(WorkloadRollout.REVISION_ANNOTATION);
    }

    @Test
    void aWorkloadNewlyListedIsLeftAloneWhileNothingChanged() {
        create("added-later", null);
        assertTrue(WorkloadRollout.apply(client, "test", rollout("added-later"), 3, false).isEmpty());
        assertNull(annotation("added-later"), "adding spec.rollout restarts nothing");
    }

    @Test
    void aChangedOutputRollsTheWorkload() {
        create("changed", null);
        assertTrue(WorkloadRollout.apply(client, "test", rollout("changed"), 4, true).isEmpty());
        assertEquals("4", annotation("changed"));
        assertEquals("changed", client.apps().deployments().inNamespace("test").withName("changed").get().getSpec()
            .getTemplate().getMetadata().getLabels().get("app"), "only the annotation is patched");
    }

    @Test
    void aWorkloadLeftAtAnOlderRevisionIsCaughtUp() {
        // e.g. the operator stopped between writing the Secret and patching the workload
        create("behind", "2");
        WorkloadRollout.apply(client, "test", rollout("behind"), 3, false);
        assertEquals("3", annotation("behind"));
    }

    @Test
    void aWorkloadAtTheRevisionIsNotPatchedAgain() {
        String version = create("current", "5").getMetadata().getResourceVersion();
        WorkloadRollout.apply(client, "test", rollout("current"), 5, true);
        assertEquals(version, client.apps().deployments().inNamespace("test").withName("current").get().getMetadata()
            .getResourceVersion());
    }

    @Test
    void aMissingWorkloadIsReported() {
        assertEquals(List.of("Deployment ghost"), WorkloadRollout.apply(client, "test", rollout("ghost"), 1, true));
    }
}
