package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.render.Manifests;
import dev.keystore.operator.testing.TlsPeers;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Time travel over the whole life of a set: a century of daily runs, and the CA replacement
 * sequence checked with real JDK TLS handshakes between consecutive states.
 */
class LongRunTest {
    static SetDefinition definition(String yaml) throws Exception {
        return SetDefinition.of(Manifests.STRICT.readValue(yaml, KeystoreSet.class));
    }

    static ExistingState after(Outcome o, ExistingState before, Map<SlotName, String> rotations) {
        return new ExistingState(o.output(), o.caRecord() == null ? Map.of() : o.caRecord(), o.internalRecord(),
            before.referencedPassword(), before.externalCa(), before.extraTrusted(), rotations);
    }

    static String fingerprint(Outcome o, SlotName slot) {
        return o.slots().get(slot).sha256Fingerprint();
    }

    @Test
    void aCenturyOfDailyRunsNeverChangesTheInternalKey() throws Exception {
        SetDefinition def = definition("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: century, namespace: ns}
            spec:
              format: JKS
              issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
              primary: {privateKey: {rotationPolicy: Never}}
              tls: {privateKey: {algorithm: EC, size: 256}, duration: 2160h, renewBefore: 360h}
              internal: {}
            """);
        SecureRandom dice = TestKeys.seeded(7);
        Instant now = TestKeys.T0;
        ExistingState state = ExistingState.empty();
        String internalKey = null;
        Set<String> tlsKeys = new HashSet<>();
        int tlsTokens = 0;
        int primaryTokens = 0;
        Set<String> primaryKeys = new HashSet<>();
        Set<String> caCertificates = new HashSet<>();
        int runs = 0;
        for (int day = 0; day < 365 * 100; day++, now = now.plus(Duration.ofDays(1))) {
            Map<SlotName, String> rotations = new EnumMap<>(SlotName.class);
            if (dice.nextInt(200) == 0) {
                rotations.put(SlotName.TLS, "tls-" + day);
                tlsTokens++;
            }
            if (dice.nextInt(1000) == 0) {
                rotations.put(SlotName.PRIMARY, "primary-" + day);
                primaryTokens++;
            }
            state = new ExistingState(state.output(), state.caRecord(), state.internalRecord(), null, null, List.of(),
                rotations);
            Outcome o = new Issuance(new Signer(TestKeys.clockAt(now), TestKeys.nextSeeded())).run(def, state);
            runs++;
            String internal = KeyOf.publicKey(o, def, SlotName.INTERNAL);
            if (internalKey == null) {
                internalKey = internal;
            }
            assertEquals(internalKey, internal, "the internal key pair changed on day " + day);
            tlsKeys.add(KeyOf.publicKey(o, def, SlotName.TLS));
            primaryKeys.add(KeyOf.publicKey(o, def, SlotName.PRIMARY));
            caCertificates.add(new String(o.caRecord().get("tls.crt")));
            for (SlotReport r : o.slots().values()) {
                assertTrue(now.isBefore(r.notAfter()), r.slot() + " expired on day " + day);
            }
            state = after(o, state, Map.of());
        }
        assertEquals(36500, runs);
        // tls: a new key at every renewal (about every 75 days) and at every token
        assertTrue(tlsKeys.size() >= 36500 / 75, "tls keys: " + tlsKeys.size());
        assertTrue(tlsKeys.size() <= 36500 / 75 + tlsTokens + 20, "tls keys: " + tlsKeys.size());
        // primary: Never at renewal, a new key only for a token
        assertEquals(primaryTokens + 1, primaryKeys.size());
        // the 10-year CA was replaced about every 6.7 years
        assertTrue(caCertificates.size() >= 14, "CAs: " + caCertificates.size());
    }

    @Test
    void aClientFromAnyStepOfTheCaReplacementTrustsTheServerOfTheNextStep() throws Exception {
        SetDefinition def = definition("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: overlap, namespace: ns}
            spec:
              issuer: {selfSigned: {duration: 8760h}}
              tls: {dnsNames: [server.example], duration: 720h, privateKey: {algorithm: EC, size: 256}}
            """);
        // the JDK validates certificates against the real clock during the handshakes, so the simulated
        // sequence ends just before now (certificates must be valid now, and not in the future)
        Instant loopStart = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofHours(97));
        Instant now = loopStart.plus(Duration.ofHours(2)).minus(Duration.ofHours(8760).multipliedBy(2).dividedBy(3));
        ExistingState state = ExistingState.empty();
        List<Outcome> steps = new ArrayList<>();
        Set<String> caStates = new HashSet<>();
        // hourly runs from just before the CA is due until the old CA has left the truststore
        Outcome first = new Issuance(new Signer(TestKeys.clockAt(now), TestKeys.nextSeeded())).run(def, state);
        steps.add(first);
        state = after(first, state, Map.of());
        now = loopStart;
        for (int hour = 0; hour < 24 * 4; hour++, now = now.plus(Duration.ofHours(1))) {
            Outcome o = new Issuance(new Signer(TestKeys.clockAt(now), TestKeys.nextSeeded())).run(def, state);
            if (!sameFiles(o.output(), state.output())) {
                steps.add(o);
            }
            caStates.add(String.join(",", new java.util.TreeSet<>(o.caRecord().keySet())));
            state = after(o, state, Map.of());
        }
        // stable -> introduced (next.*) -> promoted (previous.*) -> stable again
        assertTrue(caStates.stream().anyMatch(s -> s.contains("next.crt")), caStates.toString());
        assertTrue(caStates.stream().anyMatch(s -> s.contains("previous.crt")), caStates.toString());
        assertTrue(steps.size() >= 4, "steps: " + steps.size());
        List<Integer> trustSizes = new ArrayList<>();
        for (Outcome o : steps) {
            trustSizes.add(o.trustedCertificates());
        }
        assertTrue(trustSizes.contains(2), "old and new CA trusted together: " + trustSizes);
        assertEquals(1, trustSizes.get(trustSizes.size() - 1), "the old CA left at the end: " + trustSizes);

        for (int i = 0; i + 1 < steps.size(); i++) {
            assertHandshake(steps.get(i), steps.get(i + 1), "client of step " + i + " -> server of step " + (i + 1));
        }
        // and a client from before the replacement cannot talk to the server at the end: the overlap is real
        Outcome last = steps.get(steps.size() - 1);
        try {
            assertHandshake(steps.get(0), last, "first client -> last server");
            throw new AssertionError("a client that only knows the old CA must not trust the new one");
        } catch (javax.net.ssl.SSLHandshakeException expected) {
            // not a validity failure: the old CA (same subject, other key) is not an anchor for the new chain
            assertTrue(expected.getMessage().contains("trust anchor")
                || expected.getMessage().contains("unable to find valid certification path"), expected.getMessage());
        }
    }

    static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.keySet().stream().allMatch(k -> java.util.Arrays.equals(a.get(k), b.get(k)));
    }

    static void assertHandshake(Outcome clientStep, Outcome serverStep, String what) throws Exception {
        char[] cpw = new String(clientStep.output().get("password")).toCharArray();
        char[] spw = new String(serverStep.output().get("password")).toCharArray();
        KeyStore trust = TlsPeers.load(clientStep.output().get("truststore.p12"), "PKCS12", cpw);
        KeyStore keys = TlsPeers.load(serverStep.output().get("tls.p12"), "PKCS12", spw);
        try (var server = new TlsPeers.Server(TlsPeers.context(keys, spw, null), false)) {
            SSLContext client = TlsPeers.context(null, null, trust);
            assertEquals("hello anonymous", TlsPeers.call(client, "server.example", server.port()), what);
        }
    }

    /** The public key of a slot's certificate, as the identity of its key pair. */
    static final class KeyOf {
        private static final Map<String, String> CACHE = new HashMap<>();

        static String publicKey(Outcome o, SetDefinition def, SlotName slot) throws Exception {
            byte[] file = o.output().get(def.slot(slot).orElseThrow().fileName());
            String cacheKey = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(file));
            String known = CACHE.get(cacheKey);
            if (known != null) {
                return known;
            }
            char[] pw = new String(o.output().get("password")).toCharArray();
            var content = dev.keystore.operator.keystore.KeystoreCodec.read(
                dev.keystore.operator.keystore.KeystoreCodec.detect(file), file, pw);
            var entry = content.entries().get(0);
            String key = java.util.Base64.getEncoder().encodeToString(
                ((dev.keystore.operator.keystore.StoreEntry.KeyEntry) entry).chain().get(0).getPublicKey().getEncoded());
            CACHE.put(cacheKey, key);
            return key;
        }
    }
}
