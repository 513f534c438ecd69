package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.api.v1alpha1.SlotStatus;
import dev.keystore.operator.api.v1alpha1.TrustBundleStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What Prometheus scrapes at /q/metrics, besides the JVM and the Java Operator SDK's own figures:
 * per slot the certificate's notAfter and renewal time, each set's readiness, each bundle's
 * certificate count, and every reconcile timed with its outcome (Ready, or the reason it was not).
 * Rows of deleted resources are dropped at the next reconcile of their kind.
 */
@ApplicationScoped
public class KeystoreMetrics {
    /** namespace/name of a resource. */
    record Key(String namespace, String name) {
    }

    /** window: when the renewal window a due renewal waits for starts, NaN when the slot does not wait. */
    record Slot(String name, double notAfter, double renewal, double window) {
    }

    private final MeterRegistry registry;
    private final Map<Key, List<Slot>> slots = new ConcurrentHashMap<>();
    private final Map<Key, Boolean> ready = new ConcurrentHashMap<>();
    private final Map<Key, Integer> bundles = new ConcurrentHashMap<>();
    static final String NOT_AFTER = "keystore.certificate.not.after.timestamp.seconds";
    static final String RENEWAL = "keystore.certificate.renewal.timestamp.seconds";
    static final String RENEWAL_WINDOW = "keystore.certificate.renewal.window.timestamp.seconds";
    static final String READY = "keystore.keystoreset.ready";
    private final Map<Key, List<Meter>> setMeters = new ConcurrentHashMap<>();
    static final String CSR_REQUESTED = "keystore.csr.requested.timestamp.seconds";
    private final Map<Key, Map<String, String>> csrs = new ConcurrentHashMap<>();
    private final MultiGauge bundleCertificates;

    public KeystoreMetrics(MeterRegistry registry) {
        this.registry = registry;
        bundleCertificates = MultiGauge.builder("keystore.trustbundle.certificates")
            .description("Certificates in a TrustBundle's truststore").register(registry);
    }

    /** Times one reconcile; the outcome is "Ready" or the reason of Ready=False. */
    public Timer.Sample start() {
        return Timer.start(registry);
    }

    public void reconciled(Timer.Sample sample, String kind, String outcome) {
        sample.stop(Timer.builder("keystore.reconcile").description("Reconciles by kind and outcome")
            .tags("kind", kind, "outcome", outcome).register(registry));
    }

    /**
     * Records a set's figures from the status just computed, and forgets sets that are gone. Each
     * set has its own gauges, which read these maps when scraped: a reconcile touches only its own
     * set's meters (re-registering every row of a MultiGauge on each new set cost O(sets) per
     * reconcile, which made a burst of new sets quadratic: issue 23).
     */
    public synchronized void keystoreSet(String namespace, String name, KeystoreSetStatus status, Predicate<Key> exists) {
        keystoreSet(namespace, name, status, Map.of(), exists);
    }

    /** As above; {@code waiting}: slot name to the start of the renewal window its due renewal waits for. */
    public synchronized void keystoreSet(String namespace, String name, KeystoreSetStatus status, Map<String, Instant> waiting,
                                         Predicate<Key> exists) {
        Key key = new Key(namespace, name);
        List<Slot> rows = new ArrayList<>();
        if (status.keystores != null) {
            add(rows, "primary", status.keystores.primary, waiting);
            add(rows, "tls", status.keystores.tls, waiting);
            add(rows, "internal", status.keystores.internal, waiting);
        }
        List<Slot> before = slots.put(key, rows);
        ready.put(key, isReady(status.conditions));
        Map<String, String> csrWaiting = status.awaitingSignature == null ? Map.of() : Map.copyOf(status.awaitingSignature);
        Map<String, String> csrBefore = csrs.put(key, csrWaiting);
        if (before == null || !slotNames(before).equals(slotNames(rows))
            || !csrWaiting.keySet().equals(csrBefore == null ? Map.of().keySet() : csrBefore.keySet())) {
            register(key, rows);
        }
        for (Key gone : slots.keySet().stream().filter(k -> !k.equals(key) && !exists.test(k)).toList()) {
            slots.remove(gone);
            ready.remove(gone);
            csrs.remove(gone);
            Optional.ofNullable(setMeters.remove(gone)).orElse(List.of()).forEach(registry::remove);
        }
    }

    private void register(Key key, List<Slot> rows) {
        Optional.ofNullable(setMeters.remove(key)).orElse(List.of()).forEach(registry::remove);
        List<Meter> meters = new ArrayList<>();
        for (Slot row : rows) {
            Tags tags = Tags.of("namespace", key.namespace(), "keystoreset", key.name(), "slot", row.name());
            meters.add(Gauge.builder(NOT_AFTER, this, m -> m.slot(key, row.name()).map(Slot::notAfter).orElse(Double.NaN))
                .description("notAfter of the certificate in a KeystoreSet slot, seconds since the epoch").tags(tags)
                .strongReference(true).register(registry));
            meters.add(Gauge.builder(RENEWAL, this, m -> m.slot(key, row.name()).map(Slot::renewal).orElse(Double.NaN))
                .description("When the operator renews the certificate in a KeystoreSet slot, seconds since the epoch")
                .tags(tags).strongReference(true).register(registry));
            if (!Double.isNaN(row.window())) {
                // only while the slot's due renewal waits for a window: RenewalOverdue reads its presence
                meters.add(Gauge.builder(RENEWAL_WINDOW, this, m -> m.slot(key, row.name()).map(Slot::window)
                        .orElse(Double.NaN))
                    .description("For a slot whose due renewal waits for a renewal window (spec.renewal.windows): when"
                        + " that window starts, seconds since the epoch").tags(tags).strongReference(true)
                    .register(registry));
            }
        }
        for (String slot : csrs.getOrDefault(key, Map.of()).keySet()) {
            meters.add(Gauge.builder(CSR_REQUESTED, this, m -> Optional.ofNullable(m.csrs.get(key)).map(c -> c.get(slot))
                    .map(KeystoreMetrics::seconds).orElse(Double.NaN))
                .description("issuer.external: when the CSR still waiting for its signed certificate was written, seconds"
                    + " since the epoch")
                .tags(Tags.of("namespace", key.namespace(), "keystoreset", key.name(), "slot", slot)).strongReference(true)
                .register(registry));
        }
        meters.add(Gauge.builder(READY, this, m -> Boolean.TRUE.equals(m.ready.get(key)) ? 1 : 0)
            .description("1 when the KeystoreSet is Ready, else 0")
            .tags(Tags.of("namespace", key.namespace(), "keystoreset", key.name())).strongReference(true).register(registry));
        setMeters.put(key, meters);
    }

    private Optional<Slot> slot(Key key, String name) {
        return Optional.ofNullable(slots.get(key)).flatMap(l -> l.stream().filter(s -> s.name().equals(name)).findFirst());
    }

    private static List<String> slotNames(List<Slot> rows) {
        // the meters a set has: one pair per slot, a window gauge per waiting slot
        return rows.stream().map(r -> Double.isNaN(r.window()) ? r.name() : r.name() + "+window").toList();
    }

    public synchronized void trustBundle(String namespace, String name, TrustBundleStatus status, Predicate<Key> exists) {
        Key key = new Key(namespace, name);
        Integer before = bundles.put(key, status.certificates == null ? 0 : status.certificates);
        boolean pruned = bundles.keySet().removeIf(k -> !k.equals(key) && !exists.test(k));
        if (!pruned && Objects.equals(before, bundles.get(key))) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        bundles.forEach((k, n) -> rows.add(MultiGauge.Row.of(Tags.of("namespace", k.namespace(), "trustbundle", k.name()),
            n)));
        bundleCertificates.register(rows, true);
    }

    static String outcome(List<Condition> conditions) {
        return Optional.ofNullable(conditions).orElse(List.of()).stream().filter(c -> "Ready".equals(c.getType()))
            .findFirst().map(c -> "True".equals(c.getStatus()) ? "Ready" : c.getReason()).orElse("Unknown");
    }

    private static boolean isReady(List<Condition> conditions) {
        return "Ready".equals(outcome(conditions));
    }

    private static void add(List<Slot> rows, String name, SlotStatus slot, Map<String, Instant> waiting) {
        if (slot == null || slot.notAfter == null) {
            return;
        }
        Instant window = waiting.get(name);
        rows.add(new Slot(name, seconds(slot.notAfter), slot.renewalTime == null ? Double.NaN : seconds(slot.renewalTime),
            window == null ? Double.NaN : window.getEpochSecond()));
    }

    private static double seconds(String instant) {
        try {
            return Instant.parse(instant).getEpochSecond();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
