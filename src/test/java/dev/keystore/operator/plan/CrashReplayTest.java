package dev.keystore.operator.plan;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.PrivateKeySpec;
import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.crypto.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash consistency of the plan: a run's writes (the -internal record, then -ca, then the output,
 * in the operator's order) are cut after each of them, the next run decides from what was written,
 * and its result is checked against what the uninterrupted run promised: no key with a promise lost,
 * no two slots sharing a key, the migration's fresh primary still made.
 */
class CrashReplayTest {
    /** The three Secrets as they are in the cluster. */
    record Cluster(Map<String, byte[]> output, Map<String, byte[]> ca, Map<String, byte[]> internal) {
        static Cluster of(Outcome o) {
            return new Cluster(o.output(), o.caRecord() == null ? Map.of() : o.caRecord(), o.internalRecord());
        }

        /** The first {@code writes} of the run's writes done, in the operator's order. */
        Cluster after(Outcome o, int writes) {
            return new Cluster(writes >= 3 ? o.output() : output, writes >= 2 && o.caRecord() != null ? o.caRecord() : ca,
                writes >= 1 ? o.internalRecord() : internal);
        }

        ExistingState state(String referencedPassword, Map<SlotName, String> rotations) {
            return new ExistingState(output, ca, internal, referencedPassword, null, List.of(), rotations);
        }
    }

    static Outcome run(KeystoreSet set, Instant at, Cluster c, String password, Map<SlotName, String> rotations)
        throws Problem.Raised {
        return IssuanceTest.run(set, at, c.state(password, rotations));
    }

    static final Cluster EMPTY = new Cluster(Map.of(), Map.of(), Map.of());

    /** Runs the step, crashes after {@code writes} writes, runs again (and once more) to convergence. */
    static Outcome replay(KeystoreSet set, Instant at, Cluster before, int writes, String password,
                          Map<SlotName, String> rotations) throws Problem.Raised {
        return replay(set, at, before, writes, password, rotations, run(set, at, before, password, rotations));
    }

    static Outcome replay(KeystoreSet set, Instant at, Cluster before, int writes, String password,
                          Map<SlotName, String> rotations, Outcome interrupted) throws Problem.Raised {
        Cluster left = before.after(interrupted, writes);
        Outcome next = run(set, at.plusSeconds(1), left, password, rotations);
        Outcome settled = run(set, at.plusSeconds(2), Cluster.of(next), password, rotations);
        assertDistinct(set, settled, password);
        return settled;
    }

    static Map<SlotName, PrivateKey> keys(KeystoreSet set, Outcome o, String password) throws Exception {
        Map<SlotName, PrivateKey> keys = new HashMap<>();
        String pw = password != null ? password : new String(o.output().get("password"), StandardCharsets.UTF_8);
        for (SlotName n : SlotName.values()) {
            if (n.of(set.getSpec()) != null) {
                keys.put(n, IssuanceTest.entry(o, n.key() + ".p12", n.key(), pw).key());
            }
        }
        return keys;
    }

    static void assertDistinct(KeystoreSet set, Outcome o, String password) {
        try {
            List<String> seen = new ArrayList<>();
            for (var e : keys(set, o, password).entrySet()) {
                String k = java.util.HexFormat.of().formatHex(e.getValue().getEncoded());
                assertFalse(seen.contains(k), e.getKey() + " shares its key pair with another slot");
                seen.add(k);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static boolean same(PrivateKey a, PrivateKey b) {
        return IssuanceTest.sameKey(a, b);
    }

    static KeystoreSet threeSlots(String name) {
        KeystoreSet set = IssuanceTest.threeSlots(name);
        set.getSpec().tls.privateKey.rotationPolicy = RotationPolicy.Never;
        return set;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void firstIssuance(int writes) throws Exception {
        KeystoreSet set = threeSlots("first");
        Outcome interrupted = run(set, T0, EMPTY, null, Map.of());
        Outcome settled = replay(set, T0, EMPTY, writes, null, Map.of(), interrupted);
        if (writes >= 1) {
            // the record was written: its keys are the set's for good
            Map<SlotName, PrivateKey> promised = keys(set, interrupted, null);
            Map<SlotName, PrivateKey> now = keys(set, settled, null);
            assertTrue(same(promised.get(SlotName.INTERNAL), now.get(SlotName.INTERNAL)));
            assertTrue(same(promised.get(SlotName.PRIMARY), now.get(SlotName.PRIMARY)), "primary (Never) is recorded");
            assertArrayEquals(interrupted.internalRecord().get("store-password"), settled.output().get("password"));
        }
        if (writes >= 1) {
            // the CA has a copy in the internal record
            assertArrayEquals(interrupted.caRecord().get("tls.key"), settled.caRecord().get("tls.key"), "the same CA");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void migrationAddingInternal(int writes) throws Exception {
        KeystoreSet set = threeSlots("mig");
        set.getSpec().internal = null;
        Cluster before = Cluster.of(run(set, T0, EMPTY, null, Map.of()));
        PrivateKey oldPrimary = keys(set, run(set, T0, before, null, Map.of()), null).get(SlotName.PRIMARY);
        set.getSpec().internal = new SlotSpec();
        Outcome settled = replay(set, T0.plusSeconds(60), before, writes, null, Map.of());
        Map<SlotName, PrivateKey> now = keys(set, settled, null);
        assertTrue(same(oldPrimary, now.get(SlotName.INTERNAL)), "the old primary key became internal");
        assertFalse(same(oldPrimary, now.get(SlotName.PRIMARY)), "primary got a fresh key");
        assertEquals("internal", new String(settled.internalRecord().get("role"), StandardCharsets.UTF_8));
        assertTrue(same(now.get(SlotName.PRIMARY), Pem.privateKey(settled.internalRecord().get("primary.key"))));
    }

    /** The migration as an older release wrote it: role=internal in the record, the output never written. */
    @ParameterizedTest
    @ValueSource(ints = {0})
    void migrationInterruptedByAnOlderRelease(int ignored) throws Exception {
        KeystoreSet set = threeSlots("old");
        set.getSpec().internal = null;
        Cluster before = Cluster.of(run(set, T0, EMPTY, null, Map.of()));
        PrivateKey oldPrimary = keys(set, run(set, T0, before, null, Map.of()), null).get(SlotName.PRIMARY);
        Map<String, byte[]> record = new HashMap<>(before.internal());
        record.put("role", "internal".getBytes(StandardCharsets.UTF_8));
        set.getSpec().internal = new SlotSpec();
        Outcome o = run(set, T0.plusSeconds(60), new Cluster(before.output(), before.ca(), record), null, Map.of());
        assertDistinct(set, o, null);
        Map<SlotName, PrivateKey> now = keys(set, o, null);
        assertTrue(same(oldPrimary, now.get(SlotName.INTERNAL)));
        assertFalse(same(oldPrimary, now.get(SlotName.PRIMARY)));
        assertTrue(o.notices().contains(Issuance.PRIMARY_BECAME_INTERNAL), "the migration is told: " + o.notices());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void passwordChange(int writes) throws Exception {
        KeystoreSet set = threeSlots("pw");
        Cluster before = Cluster.of(run(set, T0, EMPTY, "first-Password-1", Map.of()));
        Map<SlotName, PrivateKey> was = keys(set, run(set, T0, before, "first-Password-1", Map.of()), "first-Password-1");
        Outcome settled = replay(set, T0.plusSeconds(60), before, writes, "second-Password-2", Map.of());
        Map<SlotName, PrivateKey> now = keys(set, settled, "second-Password-2");
        for (SlotName n : SlotName.values()) {
            assertTrue(same(was.get(n), now.get(n)), n + " kept its key across the password change");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void rotateTls(int writes) throws Exception {
        KeystoreSet set = threeSlots("rot");
        set.getSpec().tls.privateKey = new PrivateKeySpec();
        set.getSpec().tls.privateKey.algorithm = dev.keystore.operator.api.v1alpha1.KeyAlgorithm.EC;
        Cluster before = Cluster.of(run(set, T0, EMPTY, null, Map.of()));
        Map<SlotName, PrivateKey> was = keys(set, run(set, T0, before, null, Map.of()), null);
        Outcome settled = replay(set, T0.plusSeconds(60), before, writes, null, Map.of(SlotName.TLS, "t1"));
        Map<SlotName, PrivateKey> now = keys(set, settled, null);
        assertTrue(same(was.get(SlotName.INTERNAL), now.get(SlotName.INTERNAL)));
        assertTrue(same(was.get(SlotName.PRIMARY), now.get(SlotName.PRIMARY)));
        assertFalse(same(was.get(SlotName.TLS), now.get(SlotName.TLS)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void caReplacementStepsWaitForTheNewCaToBePublished(int writes) throws Exception {
        KeystoreSet set = threeSlots("ca");
        set.getSpec().issuer.selfSigned.duration = "90s";
        Cluster before = Cluster.of(run(set, T0, EMPTY, null, Map.of()));
        Map<SlotName, PrivateKey> was = keys(set, run(set, T0, before, null, Map.of()), null);
        // at 61 s the CA is due: a new one is introduced beside it
        Instant due = T0.plusSeconds(61);
        Outcome interrupted = run(set, due, before, null, Map.of());
        assertNotNull(interrupted.caRecord().get("next.crt"));
        Cluster left = before.after(interrupted, writes);
        // the next run comes late (after the grace period of 4.5 s): leaves still come from the old CA
        // unless the output already trusted the new one for that long
        Outcome late = run(set, due.plusSeconds(10), left, null, Map.of());
        assertDistinct(set, late, null);
        if (writes < 3) {
            assertArrayEquals(before.ca().get("tls.key"), late.caRecord().get("tls.key"),
                "the new CA does not sign before clients were given it to trust");
            if (writes == 2) {
                assertArrayEquals(interrupted.caRecord().get("next.key"), late.caRecord().get("next.key"), "same next CA");
            }
        }
        Map<SlotName, PrivateKey> now = keys(set, late, null);
        assertTrue(same(was.get(SlotName.INTERNAL), now.get(SlotName.INTERNAL)));
        assertTrue(same(was.get(SlotName.PRIMARY), now.get(SlotName.PRIMARY)));
    }
}
