package dev.keystore.operator.dependent;

import dev.keystore.operator.api.v1alpha1.WorkloadKind;
import dev.keystore.operator.api.v1alpha1.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workloads of {@code spec.rollout}: their pod template annotation {@code keystore.dev/revision}
 * follows the set's revision, which makes Kubernetes roll them. Only that annotation is patched.
 */
public final class WorkloadRollout {
    public static final String REVISION_ANNOTATION = "keystore.dev/revision";

    private WorkloadRollout() {
    }

    /**
     * Patches each listed workload whose annotation differs; returns those missing or not patchable.
     * When the output did not change ({@code outputChanged} false), only a workload already carrying an
     * older revision is caught up (a restart between the Secret write and the patch); one newly listed
     * in {@code spec.rollout} is left alone: nothing it mounts changed.
     */
    public static List<String> apply(KubernetesClient client, String namespace, List<WorkloadRef> refs, long revision,
        boolean outputChanged) {
        List<String> missing = new ArrayList<>();
        String value = Long.toString(revision);
        for (WorkloadRef ref : refs) {
            Class<? extends HasMetadata> type = switch (ref.kind) {
                case Deployment -> Deployment.class;
                case StatefulSet -> StatefulSet.class;
                case DaemonSet -> DaemonSet.class;
            };
            HasMetadata workload;
            try {
                workload = client.resources(type).inNamespace(namespace).withName(ref.name).get();
            } catch (KubernetesClientException e) {
                // not readable (e.g. 403): reported like a failed patch, the set's own outputs stand
                missing.add(ref.kind + " " + ref.name + " (" + e.getCode() + ")");
                continue;
            }
            if (workload == null) {
                missing.add(ref.kind + " " + ref.name);
                continue;
            }
            PodTemplateSpec template = template(workload, ref.kind);
            Map<String, String> annotations = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
            String current = annotations == null ? null : annotations.get(REVISION_ANNOTATION);
            if (value.equals(current) || (!outputChanged && current == null)) {
                continue;
            }
            String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + REVISION_ANNOTATION + "\":\""
                + value + "\"}}}}}";
            try {
                // a merge patch of one map entry: the same as a strategic merge here, and understood everywhere
                client.resources(type).inNamespace(namespace).withName(ref.name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                missing.add(ref.kind + " " + ref.name + " (" + e.getCode() + ")");
            }
        }
        return missing;
    }

    private static PodTemplateSpec template(HasMetadata workload, WorkloadKind kind) {
        return switch (kind) {
            case Deployment -> ((Deployment) workload).getSpec().getTemplate();
            case StatefulSet -> ((StatefulSet) workload).getSpec().getTemplate();
            case DaemonSet -> ((DaemonSet) workload).getSpec().getTemplate();
        };
    }
}
