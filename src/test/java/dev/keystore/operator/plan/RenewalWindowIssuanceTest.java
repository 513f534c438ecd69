package dev.keystore.operator.plan;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static dev.keystore.operator.plan.IssuanceTest.actions;
import static dev.keystore.operator.plan.IssuanceTest.after;
import static dev.keystore.operator.plan.IssuanceTest.assertSameBytes;
import static dev.keystore.operator.plan.IssuanceTest.ecCa;
import static dev.keystore.operator.plan.IssuanceTest.entry;
import static dev.keystore.operator.plan.IssuanceTest.run;
import static dev.keystore.operator.plan.IssuanceTest.sameKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeyAlgorithm;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.KeystoreSetSpec;
import dev.keystore.operator.api.v1alpha1.PrivateKeySpec;
import dev.keystore.operator.api.v1alpha1.RenewalSpec;
import dev.keystore.operator.api.v1alpha1.RenewalWindow;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.renewal.windows in the plan, with a moved clock: what waits (a renewal or rotation due by
 * time, a CA step), what does not (a token, a password change), and the safety point.
 * T0 = 2026-01-01 (a Thursday). The tls certificate: 2160h from T0, due at T0+60d = Mon 2026-03-02,
 * notAfter T0+90d = 2026-04-01, safety point notAfter - 360h = 2026-03-17.
 */
class RenewalWindowIssuanceTest {
    static final Instant DUE = Instant.parse("2026-03-02T00:00:00Z");
    static final Instant MONDAY_AFTER_DUE = DUE.plus(Duration.ofHours(1));
    /** Saturday 02:00 Europe/Berlin (CET). */
    static final Instant SATURDAY_WINDOW = Instant.parse("2026-03-07T01:00:00Z");
    static final Instant SAFETY_POINT = Instant.parse("2026-03-17T00:00:00Z");

    static KeystoreSet tlsOnly(String name, RenewalWindow... windows) {
        KeystoreSet set = IssuanceTest.set(name);
        set.setSpec(new KeystoreSetSpec());
        ecCa(set, null);
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.dnsNames = List.of(name + ".example.com");
        set.getSpec().tls.privateKey = new PrivateKeySpec();
        set.getSpec().tls.privateKey.algorithm = KeyAlgorithm.EC;
        set.getSpec().tls.duration = "2160h";
        set.getSpec().tls.renewBefore = "720h";
        set.getSpec().renewal = new RenewalSpec();
        set.getSpec().renewal.windows = List.of(windows);
        return set;
    }

    static RenewalWindow saturdayNightBerlin() {
        return RenewalWindowsTest.window("Sat", "02:00", "05:00", "Europe/Berlin");
    }

    static boolean told(Outcome o, String start) {
        return o.messages().stream().anyMatch(m -> m.startsWith(start));
    }

    @Test
    void aDueRotationWaitsForTheWindowThenRotatesInIt() throws Exception {
        KeystoreSet set = tlsOnly("wait", saturdayNightBerlin());
        Outcome o1 = run(set, T0, ExistingState.empty());
        assertEquals(DUE, o1.slots().get(SlotName.TLS).renewalTime());

        Outcome waiting = run(set, MONDAY_AFTER_DUE, after(o1));
        assertEquals(Map.of(SlotName.TLS, SlotAction.KEPT), actions(waiting));
        assertSameBytes(o1.output(), waiting.output(), "output while the renewal waits");
        assertEquals(Map.of(SlotName.TLS, SATURDAY_WINDOW), waiting.waitingForWindow());
        assertEquals(SATURDAY_WINDOW, waiting.nextRenewal(), "wakes at the window");
        assertTrue(waiting.notices().isEmpty(), waiting.messages().toString());

        Outcome stillWaiting = run(set, SATURDAY_WINDOW.minusSeconds(1), after(waiting));
        assertSameBytes(o1.output(), stillWaiting.output(), "a second before the window");

        Outcome rotated = run(set, SATURDAY_WINDOW, after(waiting));
        assertEquals(Map.of(SlotName.TLS, SlotAction.ROTATED), actions(rotated));
        assertFalse(sameKey(entry(o1, "tls.p12", "tls").key(), entry(rotated, "tls.p12", "tls").key()));
        assertEquals(Map.of(), rotated.waitingForWindow());
        assertFalse(told(rotated, "Renewing the tls certificate outside"), "inside a window: no override told");
        // in the window the next change is its end (status moves on then): Saturday 05:00 CET
        assertEquals(Instant.parse("2026-03-07T04:00:00Z"), rotated.nextRenewal());
    }

    @Test
    void withoutWindowsTheSameSetRotatesAtOnce() throws Exception {
        KeystoreSet set = tlsOnly("nowin");
        set.getSpec().renewal = null;
        Outcome o1 = run(set, T0, ExistingState.empty());
        assertEquals(Map.of(SlotName.TLS, SlotAction.ROTATED), actions(run(set, MONDAY_AFTER_DUE, after(o1))));
    }

    @Test
    void whenTheNextWindowIsPastTheSafetyPointItRenewsAtOnceAndSaysWhy() throws Exception {
        KeystoreSet set = tlsOnly("safety", saturdayNightBerlin());
        Outcome o1 = run(set, T0, ExistingState.empty());
        // Monday 2026-03-16: the next Saturday (03-21) is after the safety point (03-17)
        Instant late = SAFETY_POINT.minus(Duration.ofHours(1));
        Outcome o2 = run(set, late, after(o1));
        assertEquals(Map.of(SlotName.TLS, SlotAction.ROTATED), actions(o2));
        assertTrue(o2.messages().stream().anyMatch(m -> m.startsWith("Renewing the tls certificate outside the renewal windows")
            && m.contains("2026-03-21T01:00:00Z") && m.contains(SAFETY_POINT.toString())), o2.messages().toString());

        // the Monday before, the next Saturday is before the safety point: it waits
        Outcome o3 = run(set, SAFETY_POINT.minus(Duration.ofDays(8)), after(o1));
        assertEquals(Map.of(SlotName.TLS, SlotAction.KEPT), actions(o3));
    }

    @Test
    void aRotationTokenActsAtOnceOutsideTheWindows() throws Exception {
        KeystoreSet set = tlsOnly("token", saturdayNightBerlin());
        Outcome o1 = run(set, T0, ExistingState.empty());
        for (Instant at : List.of(T0.plus(Duration.ofDays(3)), MONDAY_AFTER_DUE)) { // not due, and due outside a window
            Outcome o2 = run(set, at, after(o1, Map.of(SlotName.TLS, "t-" + at)));
            assertEquals(Map.of(SlotName.TLS, SlotAction.ROTATED), actions(o2), "token at " + at);
        }
    }

    @Test
    void aPasswordChangeIsWrittenAtOnceWhileTheRenewalKeepsWaiting() throws Exception {
        KeystoreSet set = tlsOnly("pw", saturdayNightBerlin());
        String a = "Password-A-0123456789";
        String b = "Password-B-9876543210";
        Outcome o1 = run(set, T0, new ExistingState(Map.of(), Map.of(), Map.of(), a, null, List.of(), Map.of()));
        Outcome o2 = run(set, MONDAY_AFTER_DUE, new ExistingState(o1.output(), o1.caRecord(), o1.internalRecord(), b, null,
            List.of(), Map.of()));
        assertEquals(Map.of(SlotName.TLS, SlotAction.KEPT), actions(o2), "the due rotation still waits");
        assertTrue(o2.notices().contains(Issuance.REENCRYPTED), o2.messages().toString());
        assertTrue(sameKey(entry(o1, "tls.p12", "tls", a).key(), entry(o2, "tls.p12", "tls", b).key()));
        assertEquals(o1.slots().get(SlotName.TLS).serialNumber(), o2.slots().get(SlotName.TLS).serialNumber());
    }

    @Test
    void aChangedSpecReissuesAtOnceOutsideTheWindows() throws Exception {
        KeystoreSet set = tlsOnly("spec", saturdayNightBerlin());
        Outcome o1 = run(set, T0, ExistingState.empty());
        set.getSpec().tls.dnsNames = List.of("spec.example.com", "more.example.com");
        Outcome o2 = run(set, MONDAY_AFTER_DUE, after(o1));
        assertTrue(List.of(SlotAction.RENEWED, SlotAction.ROTATED).contains(o2.slots().get(SlotName.TLS).action()),
            actions(o2).toString());
    }

    @Test
    void caReplacementStepsWaitForTheWindowToo() throws Exception {
        // a 3000h CA is due for replacement at two thirds, T0+2000h (2026-03-24 08:00Z, a Tuesday)
        KeystoreSet set = tlsOnly("carot", RenewalWindowsTest.window("Sat", "02:00", "05:00", "UTC"));
        ecCa(set, "3000h");
        set.getSpec().tls.duration = "720h";
        set.getSpec().tls.renewBefore = "240h";
        Outcome o1 = run(set, T0, ExistingState.empty());
        Instant saturday = Instant.parse("2026-03-21T02:00:00Z");
        Outcome inWindow = run(set, saturday, after(o1)); // the leaf (expired) is renewed; the CA is not due yet
        Instant tuesday = T0.plus(Duration.ofHours(2001));
        Outcome o2 = run(set, tuesday, after(inWindow));
        assertFalse(told(o2, "Introduced a new CA"), o2.messages().toString());
        assertSameBytes(inWindow.caRecord(), o2.caRecord(), "CA record outside the window");
        Instant nextSaturday = Instant.parse("2026-03-28T02:00:00Z");
        assertEquals(nextSaturday, o2.nextRenewal());

        Outcome o3 = run(set, nextSaturday, after(o2));
        assertTrue(told(o3, "Introduced a new CA"), o3.messages().toString());
        // promotion is due a grace period (24h) later, on Sunday: outside the window it waits a week
        Outcome o4 = run(set, nextSaturday.plus(Duration.ofHours(25)), after(o3));
        assertFalse(told(o4, "Now issuing from the new CA"), o4.messages().toString());
        assertSameBytes(o3.caRecord(), o4.caRecord(), "CA record while promotion waits");
        Outcome o5 = run(set, nextSaturday.plus(Duration.ofDays(7)), after(o4));
        assertTrue(told(o5, "Now issuing from the new CA"), o5.messages().toString());
    }
}
