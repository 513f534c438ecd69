package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.api.v1alpha1.SlotStatus;
import dev.keystore.operator.api.v1alpha1.TrustBundleStatus;
import io.fabric8.kubernetes.api.model.Condition;
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

    record Slot(String name, double notAfter, double renewal) {
    }

    private final MeterRegistry registry;
    private final Map<Key, List<Slot>> slots = new ConcurrentHashMap<>();
    private final Map<Key, Boolean> ready = new ConcurrentHashMap<>();
    private final Map<Key, Integer> bundles = new ConcurrentHashMap<>();
    private final Map<Key, Map<String, String>> csrs = new ConcurrentHashMap<>();
    private final MultiGauge csrRequested;
    private final MultiGauge notAfter;
    private final MultiGauge renewal;
    private final MultiGauge setReady;
    private final MultiGauge bundleCertificates;

    public KeystoreMetrics(MeterRegistry registry) {
        this.registry = registry;
        notAfter = MultiGauge.builder("keystore.certificate.not.after.timestamp.seconds")
            .description("notAfter of the certificate in a KeystoreSet slot, seconds since the epoch").register(registry);
        renewal = MultiGauge.builder("keystore.certificate.renewal.timestamp.seconds")
            .description("When the operator renews the certificate in a KeystoreSet slot, seconds since the epoch")
            .register(registry);
        setReady = MultiGauge.builder("keystore.keystoreset.ready")
            .description("1 when the KeystoreSet is Ready, else 0").register(registry);
        csrRequested = MultiGauge.builder("keystore.csr.requested.timestamp.seconds")
            .description("issuer.external: when the CSR still waiting for its signed certificate was written, seconds since the epoch")
            .register(registry);
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

    /** Records a set's figures from the status just computed, and forgets sets that are gone. */
    public synchronized void keystoreSet(String namespace, String name, KeystoreSetStatus status, Predicate<Key> exists) {
        Key key = new Key(namespace, name);
        List<Slot> rows = new ArrayList<>();
        if (status.keystores != null) {
            add(rows, "primary", status.keystores.primary);
            add(rows, "tls", status.keystores.tls);
            add(rows, "internal", status.keystores.internal);
        }
        List<Slot> before = slots.put(key, rows);
        Boolean wasReady = ready.put(key, isReady(status.conditions));
        Map<String, String> waiting = status.awaitingSignature == null ? Map.of() : Map.copyOf(status.awaitingSignature);
        Map<String, String> waitingBefore = csrs.put(key, waiting);
        boolean pruned = slots.keySet().removeIf(k -> !k.equals(key) && !exists.test(k));
        pruned |= ready.keySet().removeIf(k -> !k.equals(key) && !exists.test(k));
        pruned |= csrs.keySet().removeIf(k -> !k.equals(key) && !exists.test(k));
        if (!pruned && rows.equals(before) && Objects.equals(wasReady, ready.get(key)) && waiting.equals(waitingBefore)) {
            return; // the gauges already show this: most reconciles change nothing
        }
        List<MultiGauge.Row<?>> after = new ArrayList<>();
        List<MultiGauge.Row<?>> renew = new ArrayList<>();
        slots.forEach((k, list) -> list.forEach(s -> {
            Tags tags = Tags.of("namespace", k.namespace(), "keystoreset", k.name(), "slot", s.name());
            after.add(MultiGauge.Row.of(tags, s.notAfter()));
            renew.add(MultiGauge.Row.of(tags, s.renewal()));
        }));
        notAfter.register(after, true);
        renewal.register(renew, true);
        List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
        ready.forEach((k, r) -> readyRows.add(MultiGauge.Row.of(Tags.of("namespace", k.namespace(), "keystoreset",
            k.name()), r ? 1 : 0)));
        setReady.register(readyRows, true);
        List<MultiGauge.Row<?>> csrRows = new ArrayList<>();
        csrs.forEach((k, m) -> m.forEach((slot, since) -> csrRows.add(MultiGauge.Row.of(Tags.of("namespace", k.namespace(),
            "keystoreset", k.name(), "slot", slot), seconds(since)))));
        csrRequested.register(csrRows, true);
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

    private static void add(List<Slot> rows, String name, SlotStatus slot) {
        if (slot == null || slot.notAfter == null) {
            return;
        }
        rows.add(new Slot(name, seconds(slot.notAfter), slot.renewalTime == null ? Double.NaN : seconds(slot.renewalTime)));
    }

    private static double seconds(String instant) {
        try {
            return Instant.parse(instant).getEpochSecond();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
