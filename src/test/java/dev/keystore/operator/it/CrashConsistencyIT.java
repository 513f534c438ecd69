package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crash consistency on a real API server: the operator process halts (Runtime.halt, as on SIGKILL)
 * just before its N-th Secret write (test-only FaultHook), is restarted, and the stored state is
 * checked after every kill: no key with a promise lost (internal, primary with rotationPolicy Never,
 * the set's CA), no two slots of an output sharing a key; after the last restart every set is
 * Ready with the keys the uninterrupted run promised.
 *
 * <p>First every write point of each step is killed once (the step's N-th write of one set, for N
 * = 1, 2, ... until the step has no N-th write): a first issuance, a tls rotation (rotate-tls), the
 * migration (internal added to a set with only primary and tls), a password change and a
 * self-signed CA's replacement. Then many sets do all of these at once while the process is killed
 * at random write numbers. Prints the figures.
 */
class CrashConsistencyIT {
    static final Duration LIFE = Duration.ofSeconds(180);
    static final String NS = "crash";
    static final String PW1 = "first-Password-1";
    static final String PW2 = "second-Password-2";
    static RealCluster cluster;
    static KubernetesClient client;
    static final Random RANDOM = new Random(17);

    static int restarts;
    static int writePointsKilled;
    static int randomKills;
    static int cutMidway;
    static int cutBeforeFirstWrite;
    static int setsChecked;
    static int keysLost;
    static int sharedKeys;
    static final List<String> failures = new ArrayList<>();

    /** What a set was promised: hex of the internal key, primary key (Never) and CA key; null while not (yet) promised. */
    static final class Promise {
        String internal;
        String primary;
        String ca;
        String tlsBefore;
        String oldPrimary;
        String caFirst;
        boolean caReplaced;
        boolean stepped;
    }

    static final Map<String, Promise> promises = new LinkedHashMap<>();
    static final Map<String, String> kinds = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("CrashConsistencyIT");
        client = cluster.client();
        cluster.createNamespace(NS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---- the sets ----

    static String yaml(String name, String kind) {
        // primary and internal keys are RSA (they encrypt data); tls and the CA are EC, which is quick to make
        String ec = "{privateKey: {algorithm: EC, size: 256}}";
        String slots = switch (kind) {
            case "mig" -> "  primary: {}\n  tls: " + ec + "\n";
            case "pw" -> "  passwordSecretRef: {name: " + name + "-pw}\n  primary: {}\n  tls: " + ec + "\n  internal: {}\n";
            case "ca" -> "  issuer: {selfSigned: {duration: 24s, privateKey: {algorithm: EC, size: 256}}}\n  primary: {}\n  tls: "
                + ec + "\n  internal: {}\n";
            default -> "  primary: {}\n  tls: " + ec + "\n  internal: {}\n";
        };
        String issuer = kind.equals("ca") ? "" : "  issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}\n";
        return "apiVersion: keystore.dev/v1alpha1\nkind: KeystoreSet\nmetadata: {name: " + name + ", namespace: " + NS
            + "}\nspec:\n" + issuer + slots;
    }

    static void create(String name, String kind) {
        kinds.put(name, kind);
        promises.put(name, new Promise());
        if (kind.equals("pw")) {
            client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name + "-pw").endMetadata()
                .addToStringData("password", PW1).build()).create();
        }
        client.resource(client.getKubernetesSerialization().unmarshal(yaml(name, kind), KeystoreSet.class)).create();
    }

    static KeystoreSet get(String name) {
        return client.resources(KeystoreSet.class).inNamespace(NS).withName(name).get();
    }

    static boolean ready(String name) {
        KeystoreSet s = get(name);
        return s != null && s.getStatus() != null && s.getStatus().conditions != null
            && s.getMetadata().getGeneration().equals(s.getStatus().observedGeneration)
            && s.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The step of a set's kind, applied while the operator is down. */
    static void step(String name) throws Exception {
        Promise p = promises.computeIfAbsent(name, n -> new Promise());
        p.stepped = true;
        switch (kinds.get(name)) {
            case "rot" -> {
                p.tlsBefore = outputKeys(snapshot(name).output).get("tls");
                RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(name), s -> {
                    s.getMetadata().setAnnotations(new HashMap<>(Map.of("keystore.dev/rotate-tls", "t1")));
                    return s;
                });
            }
            case "mig" -> {
                p.oldPrimary = outputKeys(snapshot(name).output).get("primary");
                RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(name), s -> {
                    s.getSpec().internal = new dev.keystore.operator.api.v1alpha1.SlotSpec();
                    return s;
                });
            }
            case "pw" -> client.secrets().inNamespace(NS).withName(name + "-pw").edit(s -> {
                s.setData(null);
                s.setStringData(Map.of("password", PW2));
                return s;
            });
            case "fi", "ca" -> {
                create(name, kinds.get(name));
                promises.get(name).stepped = true;
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** Whether the set's step is done (and the set Ready). */
    static boolean done(String name) {
        try {
            if (!ready(name)) {
                return false;
            }
            if (!promises.get(name).stepped) {
                return true; // settled before its step
            }
            Snapshot s = snapshot(name);
            return switch (kinds.get(name)) {
                case "rot" -> "t1".equals(get(name).getStatus().keystores.tls.rotationToken);
                case "mig" -> get(name).getStatus().keystores.internal != null;
                case "pw" -> PW2.equals(s.passwordOpening) && s.internal != null
                    && !s.internal.containsKey("previous-store-password");
                case "ca" -> {
                    Promise p = promises.get(name);
                    if (p.caFirst == null) {
                        p.caFirst = hexKey(s.ca, "tls.key");
                        yield false;
                    }
                    // its CA is replaced every 16 s for ever: once one replacement was seen complete, it is done
                    p.caReplaced |= !p.caFirst.equals(hexKey(s.ca, "tls.key")) && !s.ca.containsKey("next.crt")
                        && !s.ca.containsKey("previous.crt");
                    yield p.caReplaced;
                }
                default -> true;
            };
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- what is stored ----

    record Snapshot(Map<String, byte[]> output, Map<String, byte[]> internal, Map<String, byte[]> ca, String passwordOpening,
                    String versions) {
    }

    static Snapshot snapshot(String set) {
        Map<String, byte[]> output = null;
        Map<String, byte[]> internal = null;
        Map<String, byte[]> ca = null;
        StringBuilder versions = new StringBuilder();
        for (Secret s : client.secrets().inNamespace(NS).withLabel(ManagedSecret.SET_LABEL, set).list().getItems()) {
            String role = s.getMetadata().getLabels().get(ManagedSecret.RECORD_LABEL);
            versions.append(s.getMetadata().getName()).append('=').append(s.getMetadata().getResourceVersion()).append(';');
            if (s.getMetadata().getLabels().containsKey(ManagedSecret.REPLACING_LABEL)) {
                continue;
            }
            if ("internal".equals(role)) {
                internal = ManagedSecret.decode(s);
            } else if ("ca".equals(role)) {
                ca = ManagedSecret.decode(s);
            } else if (s.getMetadata().getName().equals(set + "-keystores")) {
                output = ManagedSecret.decode(s);
            }
        }
        String opening = null;
        if (output != null) {
            for (String pw : passwords(output)) {
                if (!openWith(output, pw).isEmpty()) {
                    opening = pw;
                    break;
                }
            }
        }
        return new Snapshot(output, internal, ca == null ? Map.of() : ca, opening, versions.toString());
    }

    static List<String> passwords(Map<String, byte[]> output) {
        List<String> pws = new ArrayList<>();
        if (output.get("password") != null) {
            pws.add(new String(output.get("password"), StandardCharsets.UTF_8));
        }
        pws.add(PW1);
        pws.add(PW2);
        return pws;
    }

    static Map<String, String> openWith(Map<String, byte[]> output, String pw) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String slot : List.of("primary", "tls", "internal")) {
            byte[] bytes = output.get(slot + ".p12");
            if (bytes == null) {
                continue;
            }
            try {
                keys.put(slot, HexFormat.of().formatHex(KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, pw.toCharArray())
                    .entries().stream().filter(e -> e instanceof StoreEntry.KeyEntry)
                    .map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded()).findFirst().orElseThrow()));
            } catch (Exception e) {
                return Map.of();
            }
        }
        return keys;
    }

    static Map<String, String> outputKeys(Map<String, byte[]> output) {
        if (output == null) {
            return Map.of();
        }
        for (String pw : passwords(output)) {
            Map<String, String> keys = openWith(output, pw);
            if (!keys.isEmpty()) {
                return keys;
            }
        }
        return Map.of();
    }

    static String hexKey(Map<String, byte[]> data, String key) {
        if (data == null || data.get(key) == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(Pem.privateKey(data.get(key)).getEncoded());
        } catch (Exception e) {
            return "unreadable";
        }
    }

    // ---- the invariants ----

    /** After a kill: nothing promised is lost, no output has two slots with one key; learns what became promised. */
    static void check(String set) {
        setsChecked++;
        Snapshot s = snapshot(set);
        Promise p = promises.get(set);
        Map<String, String> out = outputKeys(s.output);
        if (out.values().stream().distinct().count() != out.size()) {
            sharedKeys++;
            failures.add(set + ": two slots of the output share a key " + out.keySet());
        }
        String recStable = hexKey(s.internal, "tls.key");
        String recPrimary = hexKey(s.internal, "primary.key");
        if (p.internal != null && !p.internal.equals(recStable)) {
            keysLost++;
            failures.add(set + ": the internal key record lost or changed its key");
        }
        if (p.primary != null && !p.primary.equals(recPrimary)) {
            keysLost++;
            failures.add(set + ": the primary key (Never) is no longer recorded");
        }
        if (p.ca != null && !(p.ca.equals(hexKey(s.ca, "tls.key")) || p.ca.equals(hexKey(s.internal, "ca.key")))) {
            keysLost++;
            failures.add(set + ": the CA key is gone");
        }
        // a key becomes promised once it is recorded
        if (p.internal == null && recStable != null) {
            p.internal = recStable;
        }
        if (p.primary == null && recPrimary != null && !kinds.get(set).equals("mig")) {
            p.primary = recPrimary;
        }
        if (p.caFirst == null) {
            p.caFirst = hexKey(s.ca, "tls.key");
        }
        if (p.ca == null && !kinds.get(set).equals("ca")) {
            p.ca = hexKey(s.internal, "ca.key") != null ? hexKey(s.internal, "ca.key") : hexKey(s.ca, "tls.key");
        }
    }

    /** After the last restart of a round: Ready, distinct keys, the promised ones, and what the step was for. */
    static void checkConverged(String set) {
        check(set);
        Snapshot s = snapshot(set);
        Promise p = promises.get(set);
        Map<String, String> out = outputKeys(s.output);
        assertTrue(ready(set), set + " is Ready");
        boolean migrated = !kinds.get(set).equals("mig") || p.stepped;
        assertEquals(p.internal, migrated ? out.get("internal") : out.get("primary"),
            set + ": the key that never changes in the output is the recorded one");
        if (!kinds.get(set).equals("mig")) {
            assertEquals(p.primary, out.get("primary"), set + ": primary (Never) is the recorded one");
        }
        if (!p.stepped) {
            return;
        }
        switch (kinds.get(set)) {
            case "rot" -> assertNotEquals(p.tlsBefore, out.get("tls"), set + ": tls rotated");
            case "mig" -> {
                assertEquals(p.oldPrimary, out.get("internal"), set + ": the old primary key became internal");
                assertNotEquals(p.oldPrimary, out.get("primary"), set + ": primary got a fresh key");
                assertEquals("internal", new String(s.internal.get("role"), StandardCharsets.UTF_8));
                assertEquals(hexKey(s.internal, "primary.key"), out.get("primary"), set + ": the new primary is recorded");
                p.primary = out.get("primary");
            }
            case "pw" -> assertEquals(PW2, s.passwordOpening, set + ": the stores use the new password");
            default -> {
            }
        }
    }

    // ---- operator lives ----

    /**
     * One operator process halting at its {@code n}-th Secret write (of {@code haltFor} only, when
     * given); runs until it halts or {@code done} holds. Returns whether it halted.
     */
    static boolean life(int n, String haltFor, BooleanSupplier done) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("KEYSTORE_OPERATOR_FAULT_HALT_AT_SECRET_WRITE", Integer.toString(n)));
        if (haltFor != null) {
            env.put("KEYSTORE_OPERATOR_FAULT_HALT_FOR", haltFor);
        }
        restarts++;
        RealCluster.Operator op = cluster.startOperator("CrashConsistencyIT-" + (restarts % 4), env);
        long end = System.nanoTime() + LIFE.toNanos();
        while (System.nanoTime() < end) {
            if (op.process().waitFor(300, TimeUnit.MILLISECONDS)) {
                assertEquals(137, op.process().exitValue(), "the operator ended other than by the fault hook:\n" + op.output());
                return true;
            }
            if (done.getAsBoolean()) {
                op.stop();
                return false;
            }
        }
        op.stop();
        throw new AssertionError("neither halted nor done within " + LIFE + ":\n" + op.output());
    }

    static void converge(List<String> sets) throws Exception {
        assertTrue(!life(Integer.MAX_VALUE, null, () -> sets.stream().allMatch(CrashConsistencyIT::done)));
        for (String set : sets) {
            checkConverged(set);
        }
    }

    /** Every write point of one step: set {@code kind-1} is killed before its first write, {@code kind-2} before its second, ... */
    static void everyWritePoint(String kind, int from, int max) throws Exception {
        List<String> sets = new ArrayList<>();
        for (int n = from; n <= max; n++) {
            String set = "w" + kind + "-" + n;
            sets.add(set);
            kinds.putIfAbsent(set, kind);
            step(set);
            if (!life(n, set, () -> done(set))) {
                break; // the step has fewer than n writes: every write point was killed
            }
            writePointsKilled++;
            for (String s : sets) {
                check(s);
            }
        }
        converge(sets);
    }

    static List<String> prepare(String kind, String prefix, int count) throws Exception {
        List<String> sets = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sets.add(prefix + kind + "-" + i);
            create(prefix + kind + "-" + i, kind);
        }
        return sets;
    }

    @Test
    void killedAtEveryWritePointAndAtRandomTheSetsConvergeWithEveryPromisedKey() throws Exception {
        // sets whose step needs a settled set first
        List<String> settled = new ArrayList<>();
        for (String kind : List.of("rot", "mig", "pw")) {
            for (int n = 1; n <= 4; n++) {
                create("w" + kind + "-" + n, kind);
                settled.add("w" + kind + "-" + n);
            }
        }
        List<String> randomSets = new ArrayList<>();
        for (String kind : List.of("rot", "mig", "pw")) {
            randomSets.addAll(prepare(kind, "r", 10));
        }
        List<String> all = new ArrayList<>(settled);
        all.addAll(randomSets);
        converge(all);

        // 1. every write point of each step
        everyWritePoint("fi", 1, 6);
        everyWritePoint("rot", 1, 4);
        everyWritePoint("mig", 1, 4);
        everyWritePoint("pw", 1, 4);
        everyWritePoint("ca", 4, 10); // 1 to 3 are the first issuance's, as above
        // their CAs are replaced every 16 s for ever: out of the way of the random round
        for (int n = 4; n <= 10; n++) {
            client.resources(KeystoreSet.class).inNamespace(NS).withName("wca-" + n).delete();
        }

        // 2. random kill points: every kind at once, many sets, killed at random write numbers
        List<String> round = new ArrayList<>(randomSets);
        for (int i = 1; i <= 10; i++) {
            kinds.put("rfi-" + i, "fi");
            round.add("rfi-" + i);
        }
        for (int i = 1; i <= 4; i++) {
            kinds.put("rca-" + i, "ca");
            round.add("rca-" + i);
        }
        for (String set : round) {
            step(set);
        }
        Map<String, String> atStart = new HashMap<>();
        round.forEach(s -> atStart.put(s, snapshot(s).versions));
        int lives = 0;
        while (cutMidway < 110 && lives++ < 30 && !round.stream().allMatch(CrashConsistencyIT::done)) {
            if (life(1 + RANDOM.nextInt(16), null, () -> round.stream().allMatch(CrashConsistencyIT::done))) {
                randomKills++;
                for (String set : round) {
                    boolean finished = done(set);
                    boolean started = !snapshot(set).versions.equals(atStart.get(set));
                    if (!finished) {
                        if (started) {
                            cutMidway++;
                        } else {
                            cutBeforeFirstWrite++;
                        }
                    }
                    check(set);
                }
            }
        }
        converge(round);

        System.out.printf("CrashConsistencyIT: %d operator restarts; %d write points killed one by one; %d random kills "
                + "cutting %d sets mid-step and %d before their first write; %d set states checked; keys lost: %d; "
                + "outputs with two slots sharing a key: %d%n", restarts, writePointsKilled, randomKills, cutMidway,
            cutBeforeFirstWrite, setsChecked, keysLost, sharedKeys);
        assertEquals(List.of(), failures);
        assertEquals(0, keysLost);
        assertEquals(0, sharedKeys);
        assertTrue(cutMidway + writePointsKilled >= 100, "at least 100 kill points: " + (cutMidway + writePointsKilled));
    }
}
