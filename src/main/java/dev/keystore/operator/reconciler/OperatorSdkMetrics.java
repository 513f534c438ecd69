package dev.keystore.operator.reconciler;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Java Operator SDK's {@code operator_sdk_*} metrics per controller and kind, not per resource.
 * The Quarkus extension's default collects them per resource as well: for every KeystoreSet a
 * reconcile timer with a percentile histogram and some ten counters, tagged with its name and
 * namespace: 9-16 KiB of live heap per set that nothing reads (issue 23, bench/notes.md "Memory
 * per set": 46 -> 37 KiB per set by the class histogram, 52 -> 36 KiB by the heap after a full GC;
 * the per-set figures are the {@code keystore_*} gauges). The alert rules sum the SDK's counters by
 * kind and exception, tags this keeps.
 */
public class OperatorSdkMetrics {
    @Produces
    @Singleton
    @Unremovable
    Metrics metrics(MeterRegistry registry) {
        return perController(registry);
    }

    static Metrics perController(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
