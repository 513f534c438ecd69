package dev.keystore.operator.plan;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.CaIssuer;
import dev.keystore.operator.api.v1alpha1.IssuerSpec;
import dev.keystore.operator.api.v1alpha1.KeyAlgorithm;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.LocalRef;
import dev.keystore.operator.api.v1alpha1.PrivateKeySpec;
import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.api.v1alpha1.SelfSignedIssuer;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.api.v1alpha1.StoreFormat;
import dev.keystore.operator.api.v1alpha1.TruststoreSpec;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Fingerprints;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IssuanceTest {

    // ---- building sets and running ----

    static KeystoreSet set(String name) {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        return set;
    }

    /** An EC P-256 self-signed CA: fast to generate, so the tests spend their time on the plan. */
    static void ecCa(KeystoreSet set, String duration) {
        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.selfSigned = new SelfSignedIssuer();
        set.getSpec().issuer.selfSigned.privateKey = new PrivateKeySpec();
        set.getSpec().issuer.selfSigned.privateKey.algorithm = KeyAlgorithm.EC;
        set.getSpec().issuer.selfSigned.duration = duration;
    }

    /** primary + tls (EC, SANs) + internal, signed by a fast EC CA. */
    static KeystoreSet threeSlots(String name) {
        KeystoreSet set = set(name);
        ecCa(set, null);
        set.getSpec().primary = new SlotSpec();
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.dnsNames = List.of(name + ".example.com", name + ".ns.svc");
        set.getSpec().tls.ipAddresses = List.of("10.0.0.7");
        set.getSpec().tls.privateKey = new PrivateKeySpec();
        set.getSpec().tls.privateKey.algorithm = KeyAlgorithm.EC;
        set.getSpec().internal = new SlotSpec();
        return set;
    }

    /** primary + tls, no internal: primary stands in for internal. */
    static KeystoreSet primaryAndTls(String name) {
        KeystoreSet set = threeSlots(name);
        set.getSpec().internal = null;
        return set;
    }

    static Outcome run(KeystoreSet set, Instant at, ExistingState existing) throws Problem.Raised {
        return new Issuance(TestKeys.signerAt(at)).run(SetDefinition.of(set), existing);
    }

    static Outcome first(KeystoreSet set) throws Problem.Raised {
        return run(set, T0, ExistingState.empty());
    }

    /** What the caller reads back after writing an outcome: the three Secrets as the run left them. */
    static ExistingState after(Outcome o) {
        return after(o, Map.of());
    }

    static ExistingState after(Outcome o, Map<SlotName, String> rotationRequests) {
        return new ExistingState(o.output(), o.caRecord() == null ? Map.of() : o.caRecord(),
            o.internalRecord() == null ? Map.of() : o.internalRecord(), null, null, List.of(), rotationRequests);
    }

    static String password(Outcome o) {
        return new String(o.output().get("password"), StandardCharsets.UTF_8);
    }

    static StoreContent store(Outcome o, String file, String password) throws Exception {
        byte[] bytes = o.output().get(file);
        assertNotNull(bytes, "no " + file + " in the output");
        return KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, password.toCharArray());
    }

    static StoreEntry.KeyEntry entry(Outcome o, String file, String alias) throws Exception {
        return entry(o, file, alias, password(o));
    }

    static StoreEntry.KeyEntry entry(Outcome o, String file, String alias, String password) throws Exception {
        return store(o, file, password).keyEntry(alias).orElseThrow(() -> new AssertionError("no key " + alias + " in " + file));
    }

    static PrivateKey recordKey(Map<String, byte[]> record) throws Exception {
        return Pem.privateKey(record.get("tls.key"));
    }

    static X509Certificate recordCert(Map<String, byte[]> record) throws Exception {
        return Pem.certificates(record.get("tls.crt")).get(0);
    }

    static boolean sameKey(PrivateKey a, PrivateKey b) {
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }

    static void assertSameBytes(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + " keys");
        for (String key : expected.keySet()) {
            assertArrayEquals(expected.get(key), actual.get(key), what + " key " + key + " was rewritten");
        }
    }

    static Map<SlotName, SlotAction> actions(Outcome o) {
        Map<SlotName, SlotAction> actions = new HashMap<>();
        o.slots().forEach((name, report) -> actions.put(name, report.action()));
        return actions;
    }

    static String role(Outcome o) {
        return new String(o.internalRecord().get("role"), StandardCharsets.UTF_8);
    }

    // ---- first run ----

    @Test
    void takesEveryNewKeyPairFromItsKeySourceAndNoneWhenNothingIsDue() throws Exception {
        List<KeyPair> handedOut = new java.util.ArrayList<>();
        List<KeyType> asked = new java.util.ArrayList<>();
        dev.keystore.operator.crypto.KeySource keys = type -> {
            asked.add(type);
            KeyPair pair = type.generate(TestKeys.nextSeeded());
            handedOut.add(pair);
            return pair;
        };
        KeystoreSet set = threeSlots("keys");
        Issuance issuance = new Issuance(TestKeys.signerAt(T0), keys);
        Outcome o = issuance.run(SetDefinition.of(set), ExistingState.empty());

        assertEquals(List.of(KeyType.ec(256), KeyType.rsa(2048), KeyType.ec(256), KeyType.rsa(2048)), asked,
            "the CA, then primary, tls and internal");
        List<java.security.PublicKey> used = List.of(
            Pem.certificates(o.caRecord().get("tls.crt")).get(0).getPublicKey(),
            entry(o, "primary.p12", "primary").chain().get(0).getPublicKey(),
            entry(o, "tls.p12", "tls").chain().get(0).getPublicKey(),
            entry(o, "internal.p12", "internal").chain().get(0).getPublicKey());
        for (int i = 0; i < used.size(); i++) {
            assertEquals(handedOut.get(i).getPublic(), used.get(i));
        }

        issuance.run(SetDefinition.of(set), after(o));
        assertEquals(4, asked.size(), "a run with nothing due asked for a key pair");
    }

    @Test
    void theFirstRunIssuesEverySlotAndWritesTheContractKeys() throws Exception {
        KeystoreSet set = threeSlots("apim");
        Outcome o = first(set);

        assertEquals(Map.of(SlotName.PRIMARY, SlotAction.ISSUED, SlotName.TLS, SlotAction.ISSUED,
            SlotName.INTERNAL, SlotAction.ISSUED), actions(o));
        assertEquals(Set.of("primary.p12", "tls.p12", "internal.p12", "truststore.p12", "password", "ca.crt", "tls.crt",
            "tls.key"), o.output().keySet());
        assertTrue(o.messages().contains("Generated a new self-signed CA"), o.notices().toString());
        assertTrue(o.notices().contains(new Notice(Notice.Kind.NEW_CA, "Generated a new self-signed CA")), "a new CA is its own kind");

        CertificateAuthority ca = CaRecord.readCa(o.caRecord(), "apim-keystores-ca");
        assertEquals(List.of(ca.certificate()), Pem.certificates(o.output().get("ca.crt")));
        for (String slot : List.of("primary", "tls", "internal")) {
            StoreEntry.KeyEntry e = entry(o, slot + ".p12", slot);
            assertEquals(2, e.chain().size(), slot + ": leaf and CA");
            assertEquals(ca.certificate(), e.chain().get(1));
            e.chain().get(0).verify(ca.certificate().getPublicKey());
            assertTrue(KeyMatch.matches(e.key(), e.chain().get(0).getPublicKey()));
            assertEquals(1, store(o, slot + ".p12", password(o)).entries().size());
        }
        StoreEntry.KeyEntry tls = entry(o, "tls.p12", "tls");
        assertEquals(KeyType.ec(256), KeyType.of(tls.chain().get(0).getPublicKey()));
        assertTrue(tls.chain().get(0).getKeyUsage()[4], "EC tls has keyAgreement");
        assertEquals(Pem.encode(tls.chain()), new String(o.output().get("tls.crt"), StandardCharsets.UTF_8));
        assertTrue(sameKey(tls.key(), Pem.privateKey(o.output().get("tls.key"))));
        assertEquals(KeyType.rsa(2048), KeyType.of(entry(o, "primary.p12", "primary").chain().get(0).getPublicKey()));

        StoreEntry.KeyEntry internal = entry(o, "internal.p12", "internal");
        assertEquals("internal", role(o));
        assertTrue(sameKey(internal.key(), recordKey(o.internalRecord())));
        assertFalse(sameKey(internal.key(), entry(o, "primary.p12", "primary").key()));
    }

    @Test
    void slotReportsDescribeWhatWasIssued() throws Exception {
        Outcome o = first(threeSlots("rep"));
        SlotReport tls = o.slots().get(SlotName.TLS);
        X509Certificate cert = entry(o, "tls.p12", "tls").chain().get(0);

        assertEquals(SlotName.TLS, tls.slot());
        assertEquals("tls", tls.alias());
        assertEquals(cert.getSubjectX500Principal().getName(), tls.subject());
        assertEquals("CN=rep CA", tls.issuer());
        assertEquals(cert.getSerialNumber().toString(16), tls.serialNumber());
        assertEquals(cert.getNotBefore().toInstant(), tls.notBefore());
        assertEquals(cert.getNotAfter().toInstant(), tls.notAfter());
        assertEquals(tls.notAfter().minus(Duration.ofHours(2920)), tls.renewalTime());
        assertEquals(Fingerprints.sha256(cert), tls.sha256Fingerprint());
        assertEquals("EC P-256", tls.keyAlgorithm());
        assertEquals("RSA 2048", o.slots().get(SlotName.PRIMARY).keyAlgorithm());
        assertNull(tls.rotationToken());
        Instant earliest = o.slots().values().stream().map(SlotReport::renewalTime).min(Instant::compareTo).orElseThrow();
        assertEquals(earliest, o.nextRenewal());
        assertEquals(1, o.trustedCertificates());
    }

    @Test
    void aSetWithDefaultsIssuesAnRsa3072CaAndIsStable() throws Exception {
        KeystoreSet set = set("defaults");
        set.getSpec().tls = new SlotSpec();
        Outcome o1 = first(set);
        CertificateAuthority ca = CaRecord.readCa(o1.caRecord(), "defaults-keystores-ca");
        assertEquals(KeyType.rsa(3072), KeyType.of(ca.certificate().getPublicKey()));
        assertEquals("CN=defaults CA", ca.certificate().getSubjectX500Principal().getName());
        assertFalse(o1.internalRecord().containsKey("tls.key"), "a tls-only set has no key that must never change");

        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.TLS).action());
        assertSameBytes(o1.output(), o2.output(), "output");
        assertSameBytes(o1.caRecord(), o2.caRecord(), "CA record");
    }

    @Test
    void aTlsOnlySetCanGainAnInternalSlotLater() throws Exception {
        KeystoreSet set = set("grow");
        ecCa(set, null);
        set.getSpec().tls = new SlotSpec();
        Outcome o1 = first(set);

        set.getSpec().internal = new SlotSpec();
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));
        assertEquals(SlotAction.ISSUED, o2.slots().get(SlotName.INTERNAL).action());
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.TLS).action());
        assertEquals("internal", role(o2));
        assertTrue(sameKey(entry(o2, "internal.p12", "internal").key(), recordKey(o2.internalRecord())));
        assertEquals(password(o1), password(o2));
    }

    // ---- nothing is rewritten when nothing changed ----

    @ParameterizedTest
    @EnumSource(StoreFormat.class)
    void aSecondRunOnItsOwnOutputKeepsEveryByte(StoreFormat format) throws Exception {
        KeystoreSet set = threeSlots("idle");
        set.getSpec().format = format;
        set.getSpec().primary.alias = "WSO2Carbon"; // JKS lower-cases aliases: must still count as unchanged
        Outcome o1 = first(set);
        Outcome o2 = run(set, T0.plus(Duration.ofDays(30)), after(o1));

        assertEquals(Map.of(SlotName.PRIMARY, SlotAction.KEPT, SlotName.TLS, SlotAction.KEPT,
            SlotName.INTERNAL, SlotAction.KEPT), actions(o2));
        assertSameBytes(o1.output(), o2.output(), "output");
        assertSameBytes(o1.caRecord(), o2.caRecord(), "CA record");
        assertSameBytes(o1.internalRecord(), o2.internalRecord(), "internal record");
        assertEquals(List.of(), o2.messages());
        assertEquals(o1.nextRenewal(), o2.nextRenewal());

        Outcome o3 = run(set, T0.plus(Duration.ofDays(60)), after(o2));
        assertSameBytes(o1.output(), o3.output(), "output after a third run");
    }

    @ParameterizedTest
    @EnumSource(StoreFormat.class)
    void everyStoreOfARunIsReadByKeytoolAndOpenssl(StoreFormat format, @TempDir Path dir) throws Exception {
        KeystoreSet set = threeSlots("interop");
        set.getSpec().format = format;
        Outcome o = first(set);
        String ext = format == StoreFormat.JKS ? "jks" : "p12";
        for (String file : List.of("primary." + ext, "tls." + ext, "internal." + ext, "truststore." + ext)) {
            Path path = dir.resolve(file);
            Files.write(path, o.output().get(file));
            Tools.Run keytool = Tools.keytoolList(path, format.name(), password(o));
            assertEquals(0, keytool.exitCode(), "keytool -list " + file + ": " + keytool.output());
            assertTrue(keytool.output().contains(file.startsWith("truststore") ? "trustedCertEntry" : "PrivateKeyEntry"),
                file + ": " + keytool.output());
            if (format == StoreFormat.PKCS12) {
                Tools.Run openssl = Tools.opensslPkcs12Info(path, password(o));
                assertEquals(0, openssl.exitCode(), "openssl pkcs12 -info " + file + ": " + openssl.output());
            }
        }
    }

    @Test
    void aGeneratedPasswordIsKeptAcrossRunsAndIsLongEnough() throws Exception {
        KeystoreSet set = threeSlots("pw");
        Outcome o1 = first(set);
        String pw = password(o1);
        assertTrue(pw.length() >= 43, "password too short: " + pw.length() + " characters");
        Outcome o2 = run(set, T0.plus(Duration.ofHours(2)), after(o1));
        assertEquals(pw, password(o2));
        // renewal re-encodes stores, still with the same password
        Outcome o3 = run(set, T0.plus(Duration.ofHours(5841)), after(o2));
        assertEquals(pw, password(o3));
        entry(o3, "tls.p12", "tls", pw);

        Outcome other = first(threeSlots("pw2"));
        assertNotEquals(pw, password(other));
    }

    @Test
    void aReferencedPasswordIsUsedAndNeverWritten() throws Exception {
        KeystoreSet set = threeSlots("ref");
        String referenced = "Referenced-Password-From-A-Secret";
        ExistingState existing = new ExistingState(Map.of(), Map.of(), Map.of(), referenced, null, List.of(), Map.of());
        Outcome o1 = run(set, T0, existing);

        assertFalse(o1.output().containsKey("password"));
        for (String slot : List.of("primary", "tls", "internal")) {
            entry(o1, slot + ".p12", slot, referenced);
        }
        assertEquals(1, store(o1, "truststore.p12", referenced).entries().size());
        for (byte[] value : o1.output().values()) {
            assertFalse(new String(value, StandardCharsets.ISO_8859_1).contains(referenced), "password written out");
        }

        ExistingState again = new ExistingState(o1.output(), o1.caRecord(), o1.internalRecord(), referenced, null,
            List.of(), Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), again);
        assertSameBytes(o1.output(), o2.output(), "output");
    }

    // ---- renewal ----

    @Test
    void pastRenewalTimeTlsRotatesWhilePrimaryAndInternalKeepTheirKeys() throws Exception {
        KeystoreSet set = threeSlots("renew");
        Outcome o1 = first(set);
        Instant due = o1.slots().get(SlotName.TLS).renewalTime();
        assertEquals(T0.plus(Duration.ofHours(8760 - 2920)), due, "notAfter - renewBefore (one third of 8760h)");

        // a moment before: nothing happens
        Outcome before = run(set, due.minusSeconds(1), after(o1));
        assertSameBytes(o1.output(), before.output(), "output before renewal time");

        Outcome o2 = run(set, due.plus(Duration.ofHours(1)), after(o1));
        assertEquals(Map.of(SlotName.PRIMARY, SlotAction.RENEWED, SlotName.TLS, SlotAction.ROTATED,
            SlotName.INTERNAL, SlotAction.RENEWED), actions(o2));

        StoreEntry.KeyEntry tls1 = entry(o1, "tls.p12", "tls");
        StoreEntry.KeyEntry tls2 = entry(o2, "tls.p12", "tls");
        assertFalse(sameKey(tls1.key(), tls2.key()), "tls rotationPolicy Always must make a new key");
        assertFalse(KeyMatch.matches(tls2.key(), tls1.chain().get(0).getPublicKey()));
        assertTrue(tls2.chain().get(0).getNotAfter().after(tls1.chain().get(0).getNotAfter()));
        assertTrue(sameKey(tls2.key(), Pem.privateKey(o2.output().get("tls.key"))));

        for (String slot : List.of("primary", "internal")) {
            StoreEntry.KeyEntry e1 = entry(o1, slot + ".p12", slot);
            StoreEntry.KeyEntry e2 = entry(o2, slot + ".p12", slot);
            assertTrue(sameKey(e1.key(), e2.key()), slot + " key changed at renewal");
            assertNotEquals(e1.chain().get(0).getSerialNumber(), e2.chain().get(0).getSerialNumber());
            assertEquals(due.plus(Duration.ofHours(1)).plus(Duration.ofHours(8760)), e2.chain().get(0).getNotAfter().toInstant());
        }
        assertTrue(sameKey(recordKey(o1.internalRecord()), recordKey(o2.internalRecord())));
        assertArrayEquals(o1.internalRecord().get("tls.key"), o2.internalRecord().get("tls.key"));
        assertArrayEquals(o1.output().get("password"), o2.output().get("password"));
        assertArrayEquals(o1.output().get("truststore.p12"), o2.output().get("truststore.p12"), "truststore unchanged");

        // and the renewed state is stable
        Outcome o3 = run(set, due.plus(Duration.ofHours(2)), after(o2));
        assertSameBytes(o2.output(), o3.output(), "output after renewal");
    }

    @Test
    void tlsWithRotationPolicyNeverKeepsItsKeyAtRenewal() throws Exception {
        KeystoreSet set = threeSlots("never");
        set.getSpec().tls.privateKey.rotationPolicy = RotationPolicy.Never;
        Outcome o1 = first(set);
        Outcome o2 = run(set, o1.slots().get(SlotName.TLS).renewalTime().plusSeconds(60), after(o1));
        assertEquals(SlotAction.RENEWED, o2.slots().get(SlotName.TLS).action());
        assertTrue(sameKey(entry(o1, "tls.p12", "tls").key(), entry(o2, "tls.p12", "tls").key()));
    }

    @Test
    void aChangedProfileReissuesTheCertificateWithTheSameKey() throws Exception {
        KeystoreSet set = threeSlots("prof");
        Outcome o1 = first(set);
        set.getSpec().tls.dnsNames = List.of("prof.example.com", "prof.ns.svc", "prof.ns.svc.cluster.local");
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));

        assertEquals(SlotAction.RENEWED, o2.slots().get(SlotName.TLS).action());
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.PRIMARY).action());
        StoreEntry.KeyEntry tls = entry(o2, "tls.p12", "tls");
        assertTrue(sameKey(entry(o1, "tls.p12", "tls").key(), tls.key()));
        assertTrue(tls.chain().get(0).getSubjectAlternativeNames().contains(List.of(2, "prof.ns.svc.cluster.local")));
        assertArrayEquals(o1.output().get("primary.p12"), o2.output().get("primary.p12"));
    }

    @Test
    void addingOrChangingUriAndEmailNamesReissuesTlsWithTheSameKeyOnce() throws Exception {
        KeystoreSet set = threeSlots("sans");
        Outcome o1 = first(set);
        set.getSpec().tls.uris = List.of("spiffe://example.org/ns/ns/sa/sans");
        set.getSpec().tls.emailAddresses = List.of("ops@example.com");
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));
        assertEquals(SlotAction.RENEWED, o2.slots().get(SlotName.TLS).action());
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.PRIMARY).action());
        X509Certificate leaf = entry(o2, "tls.p12", "tls").chain().get(0);
        assertTrue(leaf.getSubjectAlternativeNames().contains(List.of(6, "spiffe://example.org/ns/ns/sa/sans")));
        assertTrue(leaf.getSubjectAlternativeNames().contains(List.of(1, "ops@example.com")));
        assertTrue(sameKey(entry(o1, "tls.p12", "tls").key(), entry(o2, "tls.p12", "tls").key()));

        Outcome o3 = run(set, T0.plus(Duration.ofHours(2)), after(o2));
        assertEquals(SlotAction.KEPT, o3.slots().get(SlotName.TLS).action(), "the same names again: nothing to do");
        assertArrayEquals(o2.output().get("tls.p12"), o3.output().get("tls.p12"));

        set.getSpec().tls.emailAddresses = List.of("security@example.com");
        Outcome o4 = run(set, T0.plus(Duration.ofHours(3)), after(o3));
        assertEquals(SlotAction.RENEWED, o4.slots().get(SlotName.TLS).action());
        assertTrue(entry(o4, "tls.p12", "tls").chain().get(0).getSubjectAlternativeNames()
            .contains(List.of(1, "security@example.com")));
    }

    @Test
    void aChangedTlsKeySizeMakesANewTlsKey() throws Exception {
        KeystoreSet set = threeSlots("size");
        Outcome o1 = first(set);
        set.getSpec().tls.privateKey.size = 384;
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));
        assertEquals(SlotAction.ROTATED, o2.slots().get(SlotName.TLS).action());
        assertEquals(KeyType.ec(384), KeyType.of(entry(o2, "tls.p12", "tls").chain().get(0).getPublicKey()));
    }

    // ---- the internal key never changes ----

    @Test
    void theInternalKeySurvivesLosingTheWholeOutputSecret() throws Exception {
        KeystoreSet set = threeSlots("lost");
        Outcome o1 = first(set);
        PrivateKey internalKey = entry(o1, "internal.p12", "internal").key();

        ExistingState outputGone = new ExistingState(Map.of(), o1.caRecord(), o1.internalRecord(), null, null, List.of(),
            Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofDays(3)), outputGone);

        assertTrue(sameKey(internalKey, entry(o2, "internal.p12", "internal").key()), "the internal key was replaced");
        assertNotEquals(SlotAction.ISSUED, o2.slots().get(SlotName.INTERNAL).action());
        assertEquals(SlotAction.ISSUED, o2.slots().get(SlotName.TLS).action());
        assertTrue(sameKey(internalKey, recordKey(o2.internalRecord())));
        assertSameBytes(o1.caRecord(), o2.caRecord(), "CA record");
        assertEquals(password(o1), password(o2), "the generated password comes back from the internal record");
    }

    @Test
    void aLostCaRecordComesBackFromItsCopyInTheInternalRecord() throws Exception {
        KeystoreSet set = threeSlots("lost3");
        Outcome o1 = first(set);
        ExistingState onlyRecord = new ExistingState(Map.of(), Map.of(), o1.internalRecord(), null, null, List.of(),
            Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofDays(3)), onlyRecord);
        assertSameBytes(o1.caRecord(), o2.caRecord(), "CA record");
        assertArrayEquals(o1.output().get("ca.crt"), o2.output().get("ca.crt"));
        assertTrue(o2.notices().contains(Issuance.CA_RESTORED), o2.notices().toString());
        for (SlotName n : List.of(SlotName.PRIMARY, SlotName.INTERNAL)) {
            assertTrue(sameKey(entry(o1, n.key() + ".p12", n.key()).key(), entry(o2, n.key() + ".p12", n.key()).key()), n.key());
        }
    }

    @Test
    void theInternalKeySurvivesLosingTheOutputAndTheCa() throws Exception {
        KeystoreSet set = threeSlots("lost2");
        Outcome o1 = first(set);
        PrivateKey internalKey = entry(o1, "internal.p12", "internal").key();

        // a record of an older release: no copy of the CA in it
        Map<String, byte[]> oldRecord = new HashMap<>(o1.internalRecord());
        oldRecord.remove("ca.crt");
        oldRecord.remove("ca.key");
        ExistingState onlyRecord = new ExistingState(Map.of(), Map.of(), oldRecord, null, null, List.of(),
            Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofDays(3)), onlyRecord);

        StoreEntry.KeyEntry internal = entry(o2, "internal.p12", "internal");
        assertTrue(sameKey(internalKey, internal.key()));
        assertEquals(SlotAction.RENEWED, o2.slots().get(SlotName.INTERNAL).action());
        CertificateAuthority newCa = CaRecord.readCa(o2.caRecord(), "lost2-keystores-ca");
        assertEquals(newCa.certificate(), internal.chain().get(1));
        internal.chain().get(0).verify(newCa.certificate().getPublicKey());
    }

    @Test
    void aChangedPasswordReencryptsTheStoresAndKeepsEveryKey() throws Exception {
        KeystoreSet set = threeSlots("pwchange");
        String a = "Password-A-0123456789";
        String b = "Password-B-9876543210";
        Outcome o1 = run(set, T0, new ExistingState(Map.of(), Map.of(), Map.of(), a, null, List.of(), Map.of()));

        ExistingState withB = new ExistingState(o1.output(), o1.caRecord(), o1.internalRecord(), b, null, List.of(),
            Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), withB);
        for (String slot : List.of("primary", "tls", "internal")) {
            assertTrue(sameKey(entry(o1, slot + ".p12", slot, a).key(), entry(o2, slot + ".p12", slot, b).key()),
                slot + " key changed with the password");
            assertThrows(KeystoreCodec.UnreadableKeystore.class, () -> store(o2, slot + ".p12", a));
        }
        assertEquals(1, store(o2, "truststore.p12", b).entries().size());
        assertTrue(o2.notices().contains(Issuance.REENCRYPTED), o2.notices().toString());

        ExistingState stillB = new ExistingState(o2.output(), o2.caRecord(), o2.internalRecord(), b, null, List.of(),
            Map.of());
        Outcome o3 = run(set, T0.plus(Duration.ofHours(2)), stillB);
        assertSameBytes(o2.output(), o3.output(), "output after the password change");
        assertTrue(o3.notices().isEmpty(), o3.notices().toString());
    }

    @Test
    void aPasswordChangeAsksForTheRunThatDropsTheFormerPasswordAtOnce() throws Exception {
        // the operator does not reconcile its own writes again: the second step of a password change is due now
        KeystoreSet set = threeSlots("pwnext");
        String a = "Password-A-0123456789";
        String b = "Password-B-9876543210";
        Outcome o1 = run(set, T0, new ExistingState(Map.of(), Map.of(), Map.of(), a, null, List.of(), Map.of()));
        assertTrue(o1.nextRenewal().isAfter(T0.plus(Duration.ofHours(1))), o1.nextRenewal().toString());
        Instant changed = T0.plus(Duration.ofHours(1));
        Outcome o2 = run(set, changed, new ExistingState(o1.output(), o1.caRecord(), o1.internalRecord(), b, null,
            List.of(), Map.of()));
        assertTrue(o2.internalRecord().containsKey(RecordKey.PREVIOUS_STORE_PASSWORD.key()));
        assertEquals(changed, o2.nextRenewal(), "the confirming run is due at once");
        Outcome o3 = run(set, changed.plusSeconds(1), new ExistingState(o2.output(), o2.caRecord(), o2.internalRecord(), b,
            null, List.of(), Map.of()));
        assertFalse(o3.internalRecord().containsKey(RecordKey.PREVIOUS_STORE_PASSWORD.key()));
        assertTrue(o3.nextRenewal().isAfter(changed.plus(Duration.ofHours(1))), "settled: " + o3.nextRenewal());
    }

    @Test
    void changingTheInternalKeySizeAfterTheKeyExistsIsRefused() throws Exception {
        KeystoreSet set = threeSlots("refuse");
        Outcome o1 = first(set);

        set.getSpec().internal.privateKey = new PrivateKeySpec();
        set.getSpec().internal.privateKey.size = 3072;
        Problem.Raised raised = assertThrows(Problem.Raised.class,
            () -> run(set, T0.plus(Duration.ofHours(1)), after(o1)));
        assertEquals(Problem.INTERNAL_KEY_IMMUTABLE, raised.problem().reason());
        assertTrue(raised.problem().message().contains("spec.internal.privateKey"), raised.problem().message());
        assertTrue(raised.problem().message().contains("RSA 2048"), raised.problem().message());

        // refused as well when only the output still has the key
        ExistingState recordGone = new ExistingState(o1.output(), o1.caRecord(), Map.of(), null, null, List.of(), Map.of());
        Problem.Raised again = assertThrows(Problem.Raised.class,
            () -> run(set, T0.plus(Duration.ofHours(1)), recordGone));
        assertEquals(Problem.INTERNAL_KEY_IMMUTABLE, again.problem().reason());

        // writing down the size it already has is fine
        set.getSpec().internal.privateKey.size = 2048;
        set.getSpec().internal.privateKey.algorithm = KeyAlgorithm.RSA;
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.INTERNAL).action());
    }

    @Test
    void aDamagedInternalRecordStopsTheRunInsteadOfReplacingTheKey() throws Exception {
        KeystoreSet set = threeSlots("damaged");
        Outcome o1 = first(set);
        Map<String, byte[]> damaged = new HashMap<>(o1.internalRecord());
        damaged.put("tls.key", "garbage-instead-of-a-key".getBytes(StandardCharsets.UTF_8));
        ExistingState existing = new ExistingState(o1.output(), o1.caRecord(), damaged, null, null, List.of(), Map.of());

        Problem.Raised raised = assertThrows(Problem.Raised.class, () -> run(set, T0.plus(Duration.ofHours(1)), existing));
        assertEquals(Problem.BAD_INPUT, raised.problem().reason());
        assertTrue(raised.problem().message().contains("damaged-keystores-internal"), raised.problem().message());
        assertFalse(raised.problem().message().contains("garbage"));
    }

    // ---- primary standing in for internal ----

    @Test
    void withoutAnInternalSlotThePrimaryKeyIsRecordedAsTheStableKey() throws Exception {
        KeystoreSet set = primaryAndTls("standin");
        Outcome o1 = first(set);
        assertEquals("primary", role(o1));
        assertTrue(sameKey(entry(o1, "primary.p12", "primary").key(), recordKey(o1.internalRecord())));

        // the output is lost: the primary key comes back from the record
        ExistingState outputGone = new ExistingState(Map.of(), o1.caRecord(), o1.internalRecord(), null, null, List.of(),
            Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), outputGone);
        assertTrue(sameKey(entry(o1, "primary.p12", "primary").key(), entry(o2, "primary.p12", "primary").key()));
    }

    @Test
    void addingInternalLaterMovesThePrimaryKeyToInternalAndMakesAFreshPrimary() throws Exception {
        KeystoreSet set = primaryAndTls("migrate");
        Outcome o1 = first(set);
        PrivateKey oldPrimary = entry(o1, "primary.p12", "primary").key();
        PrivateKey tlsKey = entry(o1, "tls.p12", "tls").key();

        set.getSpec().internal = new SlotSpec();
        Outcome o2 = run(set, T0.plus(Duration.ofDays(1)), after(o1));

        assertTrue(sameKey(oldPrimary, entry(o2, "internal.p12", "internal").key()), "internal must take the old primary key");
        PrivateKey newPrimary = entry(o2, "primary.p12", "primary").key();
        assertFalse(sameKey(oldPrimary, newPrimary), "primary must get a fresh key pair");
        assertTrue(KeyMatch.matches(newPrimary, entry(o2, "primary.p12", "primary").chain().get(0).getPublicKey()));
        assertEquals(SlotAction.ROTATED, o2.slots().get(SlotName.PRIMARY).action());
        assertTrue(sameKey(tlsKey, entry(o2, "tls.p12", "tls").key()), "tls is not part of the migration");
        assertTrue(o2.messages().stream().anyMatch(n -> n.contains("primary key pair now serves as the internal key")),
            o2.notices().toString());
        assertTrue(o2.notices().stream().anyMatch(n -> n.kind() == Notice.Kind.KEY_ADOPTED), o2.notices().toString());
        assertEquals("internal", role(o2));
        assertTrue(sameKey(oldPrimary, recordKey(o2.internalRecord())));

        // the migration happens once: the next run keeps everything
        Outcome o3 = run(set, T0.plus(Duration.ofDays(2)), after(o2));
        assertEquals(Map.of(SlotName.PRIMARY, SlotAction.KEPT, SlotName.TLS, SlotAction.KEPT,
            SlotName.INTERNAL, SlotAction.KEPT), actions(o3));
        assertSameBytes(o2.output(), o3.output(), "output after migration");
        assertSameBytes(o2.internalRecord(), o3.internalRecord(), "internal record after migration");
        assertTrue(o3.notices().isEmpty(), o3.notices().toString());
    }

    // ---- rotation tokens ----

    @Test
    void aTlsRotationTokenRotatesTheTlsKeyOnly() throws Exception {
        KeystoreSet set = threeSlots("rot");
        Outcome o1 = first(set);
        Outcome o2 = run(set, T0.plus(Duration.ofDays(1)), after(o1, Map.of(SlotName.TLS, "2026-01-02")));

        assertEquals(SlotAction.ROTATED, o2.slots().get(SlotName.TLS).action());
        assertEquals("2026-01-02", o2.slots().get(SlotName.TLS).rotationToken());
        assertFalse(sameKey(entry(o1, "tls.p12", "tls").key(), entry(o2, "tls.p12", "tls").key()));
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.PRIMARY).action());
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.INTERNAL).action());
        assertArrayEquals(o1.output().get("primary.p12"), o2.output().get("primary.p12"));
        assertArrayEquals(o1.output().get("internal.p12"), o2.output().get("internal.p12"));
        assertTrue(o2.messages().stream().anyMatch(n -> n.contains("2026-01-02")), o2.notices().toString());
        assertEquals(List.of(Notice.Kind.KEY_MATERIAL), o2.notices().stream().map(Notice::kind).toList(), "a rotation is no refusal");
    }

    @Test
    void aPrimaryRotationTokenRotatesPrimaryWhenInternalExists() throws Exception {
        KeystoreSet set = threeSlots("rotp");
        Outcome o1 = first(set);
        Outcome o2 = run(set, T0.plus(Duration.ofDays(1)), after(o1, Map.of(SlotName.PRIMARY, "t1")));
        assertEquals(SlotAction.ROTATED, o2.slots().get(SlotName.PRIMARY).action());
        assertFalse(sameKey(entry(o1, "primary.p12", "primary").key(), entry(o2, "primary.p12", "primary").key()));
        assertTrue(sameKey(entry(o1, "internal.p12", "internal").key(), entry(o2, "internal.p12", "internal").key()));
    }

    @Test
    void aPrimaryRotationTokenIsRefusedWhilePrimaryStandsInForInternal() throws Exception {
        KeystoreSet set = primaryAndTls("refusedrot");
        Outcome o1 = first(set);
        Outcome o2 = run(set, T0.plus(Duration.ofDays(1)), after(o1, Map.of(SlotName.PRIMARY, "please-rotate")));

        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.PRIMARY).action());
        assertTrue(sameKey(entry(o1, "primary.p12", "primary").key(), entry(o2, "primary.p12", "primary").key()));
        assertArrayEquals(o1.output().get("primary.p12"), o2.output().get("primary.p12"));
        String notice = o2.messages().stream().filter(n -> n.contains("please-rotate")).findFirst()
            .orElseThrow(() -> new AssertionError("no notice about the refused token: " + o2.notices()));
        assertTrue(notice.contains("internal"), notice);
        assertTrue(notice.startsWith("Refused"), notice);
        assertEquals(List.of(Notice.Kind.REFUSED), o2.notices().stream().map(Notice::kind).toList(), "told as a refusal");
    }

    @Test
    void anInternalRotationTokenNeverChangesTheInternalKey() throws Exception {
        KeystoreSet set = threeSlots("rotint");
        Outcome o1 = first(set);
        Outcome o2 = run(set, T0.plus(Duration.ofDays(1)), after(o1, Map.of(SlotName.INTERNAL, "x")));
        assertEquals(SlotAction.KEPT, o2.slots().get(SlotName.INTERNAL).action());
        assertArrayEquals(o1.output().get("internal.p12"), o2.output().get("internal.p12"));
        assertTrue(o2.messages().stream().anyMatch(n -> n.startsWith("Refused")), o2.notices().toString());
    }

    // ---- truststore and CA ----

    @Test
    void theTruststoreHoldsTheCaChainAsTrustedEntriesOnly() throws Exception {
        KeystoreSet set = threeSlots("trust");
        Outcome o = first(set);
        CertificateAuthority ca = CaRecord.readCa(o.caRecord(), "trust-keystores-ca");
        StoreContent truststore = store(o, "truststore.p12", password(o));

        assertEquals(1, truststore.entries().size());
        StoreEntry only = truststore.entries().get(0);
        assertInstanceOf(StoreEntry.TrustedEntry.class, only);
        assertEquals(ca.certificate(), ((StoreEntry.TrustedEntry) only).certificate());
        assertEquals("trust-ca", only.alias());
        assertEquals(1, o.trustedCertificates());
    }

    @Test
    void extraTrustedCertificatesAreAddedOnceAndIncludeIssuerFalseLeavesTheCaOut() throws Exception {
        KeystoreSet set = threeSlots("extra");
        Outcome o1 = first(set);
        CertificateAuthority ca = CaRecord.readCa(o1.caRecord(), "extra-keystores-ca");
        X509Certificate partner = TestKeys.selfSigned("CN=Partner Root");
        ExistingState withExtra = new ExistingState(o1.output(), o1.caRecord(), o1.internalRecord(), null, null,
            List.of(partner, ca.certificate(), partner), Map.of());
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), withExtra);
        assertEquals(2, o2.trustedCertificates(), "duplicates appear once");
        StoreContent truststore = store(o2, "truststore.p12", password(o2));
        assertEquals(2, truststore.entries().size());
        assertTrue(truststore.entries().stream().allMatch(e -> e instanceof StoreEntry.TrustedEntry));

        set.getSpec().truststore = new TruststoreSpec();
        set.getSpec().truststore.includeIssuer = false;
        ExistingState onlyPartner = new ExistingState(o2.output(), o2.caRecord(), o2.internalRecord(), null, null,
            List.of(partner), Map.of());
        Outcome o3 = run(set, T0.plus(Duration.ofHours(2)), onlyPartner);
        StoreContent partnerOnly = store(o3, "truststore.p12", password(o3));
        assertEquals(1, partnerOnly.entries().size());
        assertEquals(partner, ((StoreEntry.TrustedEntry) partnerOnly.entries().get(0)).certificate());
    }

    static X509Certificate signingCa(Outcome o, String secretName) throws Exception {
        return CaRecord.readCa(o.caRecord(), secretName).certificate();
    }

    static List<X509Certificate> trustedCerts(Outcome o) throws Exception {
        return store(o, "truststore.p12", password(o)).entries().stream()
            .map(e -> ((StoreEntry.TrustedEntry) e).certificate()).toList();
    }

    /** Every leaf is signed by the CA after it in its chain, ends no later than that CA, and that CA is trusted. */
    static void assertLeavesWithinTheirCa(Outcome o) throws Exception {
        List<X509Certificate> trusted = trustedCerts(o);
        for (String slot : List.of("primary", "tls", "internal")) {
            List<X509Certificate> chain = entry(o, slot + ".p12", slot).chain();
            chain.get(0).verify(chain.get(1).getPublicKey());
            assertFalse(chain.get(0).getNotAfter().after(chain.get(1).getNotAfter()), slot + " outlives its CA");
            assertTrue(trusted.contains(chain.get(1)), slot + ": its CA is not in the truststore");
        }
    }

    @Test
    void aLeafNeverOutlivesItsCaAndIsNotRenewedInALoop() throws Exception {
        KeystoreSet set = threeSlots("short");
        ecCa(set, "1000h"); // leaves ask for the default 8760h
        Outcome o1 = first(set);
        X509Certificate ca = signingCa(o1, "short-keystores-ca");
        for (String slot : List.of("primary", "tls", "internal")) {
            X509Certificate leaf = entry(o1, slot + ".p12", slot).chain().get(0);
            assertEquals(ca.getNotAfter(), leaf.getNotAfter(), slot);
        }
        SlotReport tls = o1.slots().get(SlotName.TLS);
        assertTrue(tls.renewalTime().isAfter(T0.plus(Duration.ofHours(600))), "renewal right after issue: " + tls.renewalTime());

        Outcome o2 = run(set, T0.plus(Duration.ofHours(1)), after(o1));
        assertSameBytes(o1.output(), o2.output(), "output");

        // through the CA's replacement, every leaf stays inside the CA that signed it
        Outcome previous = o2;
        for (int hours : new int[] {700, 701, 730, 760, 800, 1200, 1201}) {
            Outcome o = run(set, T0.plus(Duration.ofHours(hours)), after(previous));
            assertLeavesWithinTheirCa(o);
            assertTrue(o.nextRenewal().isAfter(T0.plus(Duration.ofHours(hours))), "renewal due again at once at " + hours + "h");
            previous = o;
        }
    }

    @Test
    void aCaPastTwoThirdsOfItsLifeIsReplacedWithATrustOverlap() throws Exception {
        String caSecret = "carot-keystores-ca";
        KeystoreSet set = threeSlots("carot");
        ecCa(set, "3000h"); // grace: min(3000h / 20, 24h) = 24h
        set.getSpec().primary.duration = "720h";
        set.getSpec().tls.duration = "720h";
        set.getSpec().internal.duration = "720h";
        Outcome o1 = first(set);
        X509Certificate oldCa = signingCa(o1, caSecret);
        Outcome o2 = run(set, T0.plus(Duration.ofHours(1900)), after(o1)); // leaves renewed; CA at 63%: unchanged
        assertSameBytes(o1.caRecord(), o2.caRecord(), "CA record before two thirds");
        assertEquals(List.of(oldCa), trustedCerts(o2));
        Map<String, PrivateKey> leafKeys = new HashMap<>();
        for (String slot : List.of("primary", "tls", "internal")) {
            leafKeys.put(slot, entry(o2, slot + ".p12", slot).key());
        }

        // 1. past two thirds: a new CA is introduced and trusted; leaves still come from the old one
        Instant introduced = T0.plus(Duration.ofHours(2001));
        Outcome o3 = run(set, introduced, after(o2));
        assertTrue(o3.messages().stream().anyMatch(n -> n.startsWith("Introduced a new CA")), o3.notices().toString());
        assertEquals(oldCa, signingCa(o3, caSecret));
        List<X509Certificate> overlap = trustedCerts(o3);
        assertEquals(2, overlap.size());
        assertTrue(overlap.contains(oldCa));
        X509Certificate newCa = overlap.stream().filter(c -> !c.equals(oldCa)).findFirst().orElseThrow();
        assertTrue(newCa.getBasicConstraints() >= 0);
        assertNotEquals(oldCa.getPublicKey(), newCa.getPublicKey(), "the CA is replaced, key and all");
        assertEquals(2, Pem.certificates(o3.output().get("ca.crt")).size(), "ca.crt carries both CAs during the overlap");
        for (String slot : List.of("primary", "tls", "internal")) {
            assertArrayEquals(o2.output().get(slot + ".p12"), o3.output().get(slot + ".p12"), slot + " rewritten too early");
        }
        assertEquals(introduced.plus(Duration.ofHours(24)), o3.nextRenewal());

        // within the grace period nothing moves
        Outcome o4 = run(set, introduced.plus(Duration.ofHours(10)), after(o3));
        assertSameBytes(o3.output(), o4.output(), "output during the overlap");
        assertSameBytes(o3.caRecord(), o4.caRecord(), "CA record during the overlap");

        // 2. after the grace period: the new CA signs, leaves move to it with their keys; the old CA stays trusted
        Instant promoted = introduced.plus(Duration.ofHours(25));
        Outcome o5 = run(set, promoted, after(o4));
        assertTrue(o5.messages().stream().anyMatch(n -> n.startsWith("Now issuing from the new CA")), o5.notices().toString());
        assertEquals(newCa, signingCa(o5, caSecret));
        assertEquals(Set.of(oldCa, newCa), Set.copyOf(trustedCerts(o5)));
        for (String slot : List.of("primary", "tls", "internal")) {
            StoreEntry.KeyEntry e = entry(o5, slot + ".p12", slot);
            assertEquals(SlotAction.RENEWED, o5.slots().get(SlotName.valueOf(slot.toUpperCase(java.util.Locale.ROOT))).action(),
                slot);
            assertEquals(newCa, e.chain().get(1), slot + " is not signed by the new CA");
            e.chain().get(0).verify(newCa.getPublicKey());
            assertTrue(sameKey(leafKeys.get(slot), e.key()), slot + " key changed with the CA");
        }
        Outcome o6 = run(set, promoted.plus(Duration.ofHours(1)), after(o5));
        assertSameBytes(o5.output(), o6.output(), "output after promotion");

        // 3. after another grace period the old CA leaves the truststore; keystores are untouched
        Outcome o7 = run(set, promoted.plus(Duration.ofHours(25)), after(o6));
        assertTrue(o7.messages().contains("The previous CA is no longer trusted"), o7.notices().toString());
        assertEquals(List.of(newCa), trustedCerts(o7));
        assertEquals(List.of(newCa), Pem.certificates(o7.output().get("ca.crt")));
        for (String slot : List.of("primary", "tls", "internal")) {
            assertArrayEquals(o6.output().get(slot + ".p12"), o7.output().get(slot + ".p12"), slot + " rewritten");
        }
        assertTrue(sameKey(leafKeys.get("internal"), recordKey(o7.internalRecord())));

        Outcome o8 = run(set, promoted.plus(Duration.ofHours(30)), after(o7));
        assertSameBytes(o7.output(), o8.output(), "output once stable again");
        assertSameBytes(o7.caRecord(), o8.caRecord(), "CA record once stable again");
        assertTrue(o8.notices().isEmpty(), o8.notices().toString());
    }

    @Test
    void theCaOverlapGraceIsATwentiethOfTheCaLifetimeAtMostADay() {
        assertEquals(Duration.ofHours(24), CaRotation.grace(Duration.ofHours(87600)));
        assertEquals(Duration.ofHours(5), CaRotation.grace(Duration.ofHours(100)));
    }

    // ---- external issuers ----

    static KeystoreSet signedByCaSecret(String name) {
        KeystoreSet set = threeSlots(name);
        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.ca = new CaIssuer();
        set.getSpec().issuer.ca.secretRef = new LocalRef("corp-ca");
        return set;
    }

    static ExistingState withExternalCa(CertificateAuthority ca) {
        return new ExistingState(Map.of(), Map.of(), Map.of(), null, ca, List.of(), Map.of());
    }

    @Test
    void anExternalCaSignsTheLeavesAndOnlyItsCertificatesAreRecorded() throws Exception {
        CertificateAuthority root = TestKeys.ecCa("Corp Root");
        KeyPair intermediateKeys = TestKeys.ec256();
        List<X509Certificate> intermediateChain = TestKeys.signerAt(T0).issue(root,
            Signer.caProfile(new X500Name("CN=Corp Intermediate")), intermediateKeys.getPublic(), Duration.ofDays(2000));
        CertificateAuthority intermediate = new CertificateAuthority(intermediateKeys.getPrivate(), intermediateChain);

        KeystoreSet set = signedByCaSecret("ext");
        Outcome o = run(set, T0.plus(Duration.ofHours(1)), withExternalCa(intermediate));
        assertEquals(Set.of("issuer.crt"), o.caRecord().keySet(), "certificates only: someone else's CA key is not copied");
        assertEquals(intermediateChain, Pem.certificates(o.caRecord().get("issuer.crt")));
        StoreEntry.KeyEntry tls = entry(o, "tls.p12", "tls");
        assertEquals(3, tls.chain().size(), "leaf, intermediate, root");
        assertEquals(intermediateChain, tls.chain().subList(1, 3));
        assertEquals(intermediateChain, Pem.certificates(o.output().get("ca.crt")));
        assertEquals(2, o.trustedCertificates());
    }

    @Test
    void aMissingNonCaOrExpiredExternalIssuerIsAProblem() throws Exception {
        KeystoreSet set = signedByCaSecret("bad");
        Problem.Raised missing = assertThrows(Problem.Raised.class, () -> run(set, T0, ExistingState.empty()));
        assertEquals(Problem.ISSUER_NOT_READY, missing.problem().reason());
        assertTrue(missing.problem().message().contains("corp-ca"));

        CertificateAuthority root = TestKeys.ecCa("Root");
        KeyPair leafKeys = TestKeys.ec256();
        List<X509Certificate> leafChain = TestKeys.signerAt(T0).issue(root,
            TestKeys.leafProfile("not-a-ca", Set.of(), Set.of()), leafKeys.getPublic(), Duration.ofDays(100));
        Problem.Raised notCa = assertThrows(Problem.Raised.class,
            () -> run(set, T0, withExternalCa(new CertificateAuthority(leafKeys.getPrivate(), leafChain))));
        assertEquals(Problem.BAD_INPUT, notCa.problem().reason());
        assertTrue(notCa.problem().message().contains("not a CA"), notCa.problem().message());

        CertificateAuthority shortLived = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=Short"), TestKeys.ec256(),
            Duration.ofDays(10));
        Problem.Raised expired = assertThrows(Problem.Raised.class,
            () -> run(set, T0.plus(Duration.ofDays(11)), withExternalCa(shortLived)));
        assertEquals(Problem.BAD_INPUT, expired.problem().reason());
        assertTrue(expired.problem().message().contains("expired"), expired.problem().message());
    }

    static ExistingState afterWithCa(Outcome o, CertificateAuthority ca) {
        return new ExistingState(o.output(), o.caRecord(), o.internalRecord(), null, ca, List.of(), Map.of());
    }

    @Test
    void whenTheExternalCaIsRotatedLeavesMoveAndTheOldCaStaysTrustedForADay() throws Exception {
        CertificateAuthority oldCa = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=Corp 1"), TestKeys.ec256(),
            Duration.ofDays(3650));
        CertificateAuthority newCa = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=Corp 2"), TestKeys.ec256(),
            Duration.ofDays(3650));
        KeystoreSet set = signedByCaSecret("moving");
        Instant t1 = T0.plus(Duration.ofHours(1));
        Outcome o1 = run(set, t1, withExternalCa(oldCa));
        Outcome same = run(set, t1.plus(Duration.ofHours(1)), afterWithCa(o1, oldCa));
        assertSameBytes(o1.output(), same.output(), "nothing moves while the CA stays");
        assertSameBytes(o1.caRecord(), same.caRecord(), "record unchanged");

        Instant t2 = t1.plus(Duration.ofDays(3));
        Outcome o2 = run(set, t2, afterWithCa(o1, newCa));
        for (String slot : List.of("primary", "tls", "internal")) {
            StoreEntry.KeyEntry e = entry(o2, slot + ".p12", slot);
            assertEquals(newCa.certificate(), e.chain().get(1), slot + " re-issued from the new CA");
            assertEquals(entry(o1, slot + ".p12", slot).key(), e.key(), slot + " keeps its key (a renewal)");
        }
        assertEquals(2, o2.trustedCertificates(), "old and new CA trusted during the overlap");
        assertTrue(o2.messages().stream().anyMatch(n -> n.contains("issuer changed")), o2.notices().toString());
        assertEquals(t2.plus(Duration.ofHours(24)), o2.nextRenewal(), "woken when the overlap ends");

        Outcome during = run(set, t2.plus(Duration.ofHours(23)), afterWithCa(o2, newCa));
        assertEquals(2, during.trustedCertificates());
        assertSameBytes(o2.output(), during.output(), "nothing rewritten during the overlap");

        Outcome o3 = run(set, t2.plus(Duration.ofHours(24)), afterWithCa(during, newCa));
        assertEquals(1, o3.trustedCertificates(), "the old CA leaves the truststore after a day");
        assertEquals(List.of(newCa.certificate()), Pem.certificates(o3.output().get("ca.crt")));
        assertEquals(Set.of("issuer.crt"), o3.caRecord().keySet());
    }

    @Test
    void anExternalCaEndingBeforeTheLeafAskedForClampsItAndRefusesWhenTheLeafWouldBeBornDue() throws Exception {
        // leaves default to 365 days, renewed a third before their end
        CertificateAuthority ca = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=Ending"), TestKeys.ec256(),
            Duration.ofDays(200));
        KeystoreSet set = signedByCaSecret("ending");
        Outcome o1 = run(set, T0.plus(Duration.ofHours(1)), withExternalCa(ca));
        assertEquals(ca.certificate().getNotAfter(), entry(o1, "tls.p12", "tls").chain().get(0).getNotAfter(),
            "the leaf ends with its issuer");
        assertTrue(o1.messages().stream().anyMatch(n -> n.contains("ends with its issuer")), o1.notices().toString());
        // 30 days on, the leaves are kept: no new signature is needed
        Outcome kept = run(set, T0.plus(Duration.ofDays(30)), afterWithCa(o1, ca));
        assertSameBytes(o1.output(), kept.output(), "kept leaves");
        // 120 days on the CA has 80 days left, less than renewBefore: a renewed leaf would be due at once
        Problem p = assertThrows(Problem.Raised.class, () -> run(set, T0.plus(Duration.ofDays(120)), afterWithCa(o1, ca)))
            .problem();
        assertEquals(Problem.BAD_INPUT, p.reason());
        assertTrue(p.message().contains("Secret corp-ca key tls.crt") && p.message().contains(".duration")
            && p.message().contains("renew that CA"), p.message());
    }

    @Test
    void aSetMovingFromAnExternalCaToSelfSignedMakesItsOwnCa() throws Exception {
        CertificateAuthority corp = TestKeys.ecCa("Corp");
        KeystoreSet external = signedByCaSecret("mover");
        Outcome o1 = run(external, T0.plus(Duration.ofHours(1)), withExternalCa(corp));
        KeystoreSet selfSigned = threeSlots("mover");
        Outcome o2 = run(selfSigned, T0.plus(Duration.ofHours(2)), after(o1));
        assertTrue(o2.caRecord().containsKey("tls.key"), "its own CA now");
        assertNotEquals(corp.certificate(), entry(o2, "tls.p12", "tls").chain().get(1));
    }

    // ---- reading a CA Secret ----

    static String pkcs1(KeyPair pair) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pair);
        }
        return out.toString();
    }

    @Test
    void readCaAcceptsACertManagerStyleSecretWithAPkcs1Key() throws Exception {
        KeyPair keys = TestKeys.rsa2048();
        CertificateAuthority ca = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=cm"), keys, Duration.ofDays(100));
        Map<String, byte[]> data = Map.of(
            "tls.crt", Pem.encode(ca.chain()).getBytes(StandardCharsets.UTF_8),
            "tls.key", pkcs1(keys).getBytes(StandardCharsets.UTF_8));
        CertificateAuthority read = CaRecord.readCa(data, "cm-ca");
        assertEquals(ca.chain(), read.chain());
        assertTrue(sameKey(keys.getPrivate(), read.key()));
    }

    @Test
    void readCaNamesTheSecretAndKeyThatAreWrong() throws Exception {
        CertificateAuthority ca = TestKeys.ecCa("x");
        byte[] crt = Pem.encode(ca.chain()).getBytes(StandardCharsets.UTF_8);
        byte[] key = Pem.encode(ca.key()).getBytes(StandardCharsets.UTF_8);

        Problem noKey = assertThrows(Problem.Raised.class, () -> CaRecord.readCa(Map.of("tls.crt", crt), "corp-ca")).problem();
        assertEquals(Problem.MISSING_INPUT, noKey.reason());
        assertTrue(noKey.message().contains("corp-ca") && noKey.message().contains("tls.key"), noKey.message());

        Problem noCrt = assertThrows(Problem.Raised.class, () -> CaRecord.readCa(Map.of("tls.key", key), "corp-ca")).problem();
        assertTrue(noCrt.message().contains("tls.crt"), noCrt.message());

        byte[] garbage = "SECRET-GARBAGE".getBytes(StandardCharsets.UTF_8);
        Problem badCrt = assertThrows(Problem.Raised.class,
            () -> CaRecord.readCa(Map.of("tls.crt", garbage, "tls.key", key), "corp-ca")).problem();
        assertEquals(Problem.BAD_INPUT, badCrt.reason());
        assertTrue(badCrt.message().contains("corp-ca") && badCrt.message().contains("tls.crt"), badCrt.message());
        assertFalse(badCrt.message().contains("SECRET-GARBAGE"));

        Problem badKey = assertThrows(Problem.Raised.class,
            () -> CaRecord.readCa(Map.of("tls.crt", crt, "tls.key", garbage), "corp-ca")).problem();
        assertTrue(badKey.message().contains("tls.key"), badKey.message());
        assertFalse(badKey.message().contains("SECRET-GARBAGE"));

        byte[] otherKey = Pem.encode(TestKeys.ec256().getPrivate()).getBytes(StandardCharsets.UTF_8);
        Problem mismatch = assertThrows(Problem.Raised.class,
            () -> CaRecord.readCa(Map.of("tls.crt", crt, "tls.key", otherKey), "corp-ca")).problem();
        assertEquals(Problem.BAD_INPUT, mismatch.reason());
        assertTrue(mismatch.message().contains("does not match"), mismatch.message());
    }

    @Test
    void renewalTimeFallsTwoThirdsIntoAShortenedLifetime() throws Exception {
        CertificateAuthority ca = TestKeys.ecCa("rt");
        X509Certificate cert = TestKeys.signerAt(T0).issue(ca, TestKeys.leafProfile("x", Set.of(), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofHours(300)).get(0);
        Instant notAfter = cert.getNotAfter().toInstant();
        assertEquals(notAfter.minus(Duration.ofHours(24)), Lifetime.renewalTime(cert, Duration.ofHours(24)));
        // renewBefore larger than two thirds of the lifetime: renew two thirds in, not immediately; the
        // lifetime counts from issuance (T0), not from the backdated notBefore, so short lifetimes are not skewed
        assertEquals(T0, Lifetime.issuedAt(cert));
        assertEquals(T0.plus(Duration.ofHours(200)), Lifetime.renewalTime(cert, Duration.ofHours(250)));
    }
}
