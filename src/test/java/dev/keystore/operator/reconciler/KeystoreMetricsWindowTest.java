package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keystore.operator.api.v1alpha1.KeystoresStatus;
import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.api.v1alpha1.SlotStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The renewal-window gauge RenewalOverdue reads: a row only for a slot whose due renewal waits, valued at the window start. */
class KeystoreMetricsWindowTest {
    static final String WINDOW = "keystore.certificate.renewal.window.timestamp.seconds";

    static KeystoreSetStatus status() {
        KeystoreSetStatus status = new KeystoreSetStatus();
        status.keystores = new KeystoresStatus();
        for (String slot : new String[] {"tls", "primary"}) {
            SlotStatus s = new SlotStatus();
            s.notAfter = "2026-04-01T00:00:00Z";
            s.renewalTime = "2026-03-02T00:00:00Z";
            if (slot.equals("tls")) {
                status.keystores.tls = s;
            } else {
                status.keystores.primary = s;
            }
        }
        return status;
    }

    static Gauge row(SimpleMeterRegistry registry, String slot) {
        return registry.find(WINDOW).tags("namespace", "ns", "keystoreset", "s", "slot", slot).gauge();
    }

    @Test
    void aWaitingSlotHasAWindowRowUntilItNoLongerWaits() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeystoreMetrics metrics = new KeystoreMetrics(registry);
        Instant start = Instant.parse("2026-03-07T01:00:00Z");
        metrics.keystoreSet("ns", "s", status(), Map.of("tls", start), k -> true);
        assertEquals(start.getEpochSecond(), row(registry, "tls").value());
        assertNull(row(registry, "primary"), "a slot that does not wait has no row");

        metrics.keystoreSet("ns", "s", status(), Map.of(), k -> true);
        assertNull(row(registry, "tls"), "renewed (or no longer waiting): the row goes");
    }
}
