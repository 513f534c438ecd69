package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.api.v1alpha1.KeystoresStatus;
import dev.keystore.operator.api.v1alpha1.SlotStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeystoreMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final KeystoreMetrics metrics = new KeystoreMetrics(registry);
    final Set<KeystoreMetrics.Key> live = new HashSet<>();

    static KeystoreSetStatus status(String notAfter, boolean ready) {
        KeystoreSetStatus s = new KeystoreSetStatus();
        s.keystores = new KeystoresStatus();
        s.keystores.tls = new SlotStatus();
        s.keystores.tls.notAfter = notAfter;
        s.keystores.tls.renewalTime = "2027-01-01T00:00:00Z";
        s.conditions = List.of(new ConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
            .withReason(ready ? "Issued" : "MissingInput").build());
        return s;
    }

    void record(String name, KeystoreSetStatus status) {
        live.add(new KeystoreMetrics.Key("ns", name));
        metrics.keystoreSet("ns", name, status, live::contains);
    }

    Gauge gauge(String meter, String set) {
        return registry.find(meter).tags("namespace", "ns", "keystoreset", set).gauge();
    }

    @Test
    void eachSetShowsItsCurrentFiguresAndADeletedSetGoes() {
        record("a", status("2027-03-01T00:00:00Z", true));
        record("b", status("2027-04-01T00:00:00Z", false));
        assertEquals(java.time.Instant.parse("2027-03-01T00:00:00Z").getEpochSecond(), gauge(KeystoreMetrics.NOT_AFTER, "a").value());
        assertEquals(1, gauge(KeystoreMetrics.READY, "a").value());
        assertEquals(0, gauge(KeystoreMetrics.READY, "b").value());
        assertEquals("tls", gauge(KeystoreMetrics.NOT_AFTER, "a").getId().getTag("slot"));

        record("a", status("2027-05-01T00:00:00Z", false)); // renewed, then not ready: the same gauges show it
        assertEquals(java.time.Instant.parse("2027-05-01T00:00:00Z").getEpochSecond(), gauge(KeystoreMetrics.NOT_AFTER, "a").value());
        assertEquals(0, gauge(KeystoreMetrics.READY, "a").value());

        live.remove(new KeystoreMetrics.Key("ns", "b"));
        record("a", status("2027-05-01T00:00:00Z", true));
        assertNull(gauge(KeystoreMetrics.READY, "b"));
        assertNull(gauge(KeystoreMetrics.NOT_AFTER, "b"));
        assertEquals(1, gauge(KeystoreMetrics.READY, "a").value());

        KeystoreSetStatus noSlots = status("2027-05-01T00:00:00Z", false);
        noSlots.keystores = null; // a set that lost its slot loses the slot's gauges
        record("a", noSlots);
        assertNull(gauge(KeystoreMetrics.NOT_AFTER, "a"));
        assertEquals(0, gauge(KeystoreMetrics.READY, "a").value());
    }

    /** Recording a new set costs the same with 100 or 3,000 sets known: a burst of new sets is not quadratic. */
    @Test
    void aNewSetCostsTheSameWhateverTheNumberOfSets() {
        long at100 = allocationOfNewSets(100);
        long at3000 = allocationOfNewSets(3_000);
        assertTrue(at3000 < 2 * at100 + 8_192, "bytes per new set: " + at100 + " at 100 sets, " + at3000 + " at 3,000");
    }

    long allocationOfNewSets(int known) {
        KeystoreMetrics m = new KeystoreMetrics(new SimpleMeterRegistry());
        Set<KeystoreMetrics.Key> sets = new HashSet<>();
        for (int i = 0; i < known; i++) {
            sets.add(new KeystoreMetrics.Key("ns", "s" + i));
            m.keystoreSet("ns", "s" + i, status("2027-03-01T00:00:00Z", true), sets::contains);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 20; i++) {
            sets.add(new KeystoreMetrics.Key("ns", "new" + i));
            m.keystoreSet("ns", "new" + i, status("2027-03-01T00:00:00Z", true), sets::contains);
        }
        return (threads.getThreadAllocatedBytes(id) - before) / 20;
    }
}
