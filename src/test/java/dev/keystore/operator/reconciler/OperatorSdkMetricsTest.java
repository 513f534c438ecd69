package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OperatorSdkMetricsTest {
    private static final Map<String, Object> METADATA = Map.of("controller.name", "keystoreset",
        "josdk.resource.gvk", GroupVersionKind.gvkFor(KeystoreSet.class));

    @Test
    void theSdkMetersDoNotGrowWithTheNumberOfSets() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        Metrics metrics = OperatorSdkMetrics.perController(registry);
        reconcile(metrics, 0, 10);
        int afterTen = registry.getMeters().size();
        reconcile(metrics, 10, 200);
        assertEquals(afterTen, registry.getMeters().size(), "no meter per set");
        assertTrue(registry.getMeters().stream().allMatch(m -> m.getId().getTag("name") == null
            && m.getId().getTag("namespace") == null), "no set's name or namespace as a tag");
    }

    @Test
    void theExtensionsDefaultGrowsWithEverySetWhichIsWhatThisReplaces() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        Metrics perResource = MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();
        reconcile(perResource, 0, 10);
        int afterTen = registry.getMeters().size();
        reconcile(perResource, 10, 200);
        assertTrue(registry.getMeters().size() >= afterTen + 190, "per-resource meters: " + registry.getMeters().size());
    }

    @Test
    void theAlertsLabelsStay() throws Exception {
        // KeystoreReconcileErrors sums operator_sdk_reconciliations_failed_total by (kind, exception)
        MeterRegistry registry = new SimpleMeterRegistry();
        Metrics metrics = OperatorSdkMetrics.perController(registry);
        KeystoreSet set = set(1);
        metrics.failedReconciliation(set, new IllegalStateException("boom"), METADATA);
        var failed = registry.find("operator.sdk.reconciliations.failed").counter();
        assertNotNull(failed, "names: " + registry.getMeters().stream().map(m -> m.getId().getName()).toList());
        assertEquals("KeystoreSet", failed.getId().getTag("kind"));
        assertEquals("IllegalStateException", failed.getId().getTag("exception"));
        assertEquals(1.0, failed.count());
        metrics.finishedReconciliation(set, METADATA);
        assertEquals("KeystoreSet", registry.find("operator.sdk.reconciliations.success").counter().getId().getTag("kind"));
    }

    private static void reconcile(Metrics metrics, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            KeystoreSet set = set(i);
            // (reconcileCustomResource and the execution gauges need a registered Controller)
            metrics.receivedEvent(new Event(ResourceID.fromResource(set)), METADATA);
            metrics.timeControllerExecution(execution(set, s -> "update"));
            metrics.finishedReconciliation(set, METADATA);
        }
    }

    private static KeystoreSet set(int i) {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new ObjectMetaBuilder().withName("set-" + i).withNamespace("ns-" + (i % 7)).build());
        return set;
    }

    private static Metrics.ControllerExecution<String> execution(KeystoreSet set, Function<String, String> type) {
        return new Metrics.ControllerExecution<>() {
            @Override
            public String name() {
                return "reconcile";
            }

            @Override
            public String controllerName() {
                return "keystoreset";
            }

            @Override
            public String successTypeName(String result) {
                return type.apply(result);
            }

            @Override
            public ResourceID resourceID() {
                return ResourceID.fromResource(set);
            }

            @Override
            public Map<String, Object> metadata() {
                return METADATA;
            }

            @Override
            public String execute() {
                return "done";
            }
        };
    }
}
