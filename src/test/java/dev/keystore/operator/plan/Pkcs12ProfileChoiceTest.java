package dev.keystore.operator.plan;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.Pkcs12ProfileName;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TruststoreSpec;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.Pkcs12Profile;
import dev.keystore.operator.keystore.StoreType;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** pkcs12Profile set-wide, per slot, on the truststore and on a TrustBundle target; a change re-encodes. */
class Pkcs12ProfileChoiceTest {

    static Optional<Pkcs12Profile> profile(Outcome o, String file) {
        return Pkcs12Profile.of(o.output().get(file));
    }

    @Test
    void withoutAProfileEveryPkcs12IsModern() throws Exception {
        Outcome o = IssuanceTest.first(IssuanceTest.threeSlots("plain"));
        for (String file : List.of("primary.p12", "tls.p12", "internal.p12", "truststore.p12")) {
            assertEquals(Optional.of(Pkcs12Profile.MODERN), profile(o, file), file);
        }
    }

    @Test
    void aSetWideProfileAppliesToEverySlotUnlessTheSlotOrTruststoreOverridesIt() throws Exception {
        KeystoreSet set = IssuanceTest.threeSlots("legacy");
        set.getSpec().pkcs12Profile = Pkcs12ProfileName.Legacy;
        set.getSpec().tls.pkcs12Profile = Pkcs12ProfileName.Modern;
        set.getSpec().truststore = new TruststoreSpec();
        set.getSpec().truststore.pkcs12Profile = Pkcs12ProfileName.Modern;
        Outcome o = IssuanceTest.first(set);

        assertEquals(Optional.of(Pkcs12Profile.LEGACY), profile(o, "primary.p12"));
        assertEquals(Optional.of(Pkcs12Profile.LEGACY), profile(o, "internal.p12"));
        assertEquals(Optional.of(Pkcs12Profile.MODERN), profile(o, "tls.p12"));
        assertEquals(Optional.of(Pkcs12Profile.MODERN), profile(o, "truststore.p12"));
        assertTrue(IssuanceTest.entry(o, "primary.p12", "primary") != null);
    }

    @Test
    void anUnchangedProfileKeepsEveryByteAndAChangedOneReencodesOnlyWhatItCovers() throws Exception {
        KeystoreSet set = IssuanceTest.threeSlots("switch");
        set.getSpec().pkcs12Profile = Pkcs12ProfileName.Legacy;
        Outcome o1 = IssuanceTest.first(set);
        Outcome o2 = IssuanceTest.run(set, T0.plus(Duration.ofDays(1)), IssuanceTest.after(o1));
        IssuanceTest.assertSameBytes(o1.output(), o2.output(), "a second Legacy run");

        set.getSpec().primary.pkcs12Profile = Pkcs12ProfileName.Modern;
        Outcome o3 = IssuanceTest.run(set, T0.plus(Duration.ofDays(2)), IssuanceTest.after(o2));
        assertEquals(Optional.of(Pkcs12Profile.MODERN), profile(o3, "primary.p12"));
        assertFalse(java.util.Arrays.equals(o2.output().get("primary.p12"), o3.output().get("primary.p12")));
        assertEquals(SlotAction.KEPT, IssuanceTest.actions(o3).get(SlotName.PRIMARY), "a new encoding, not a new key");
        assertTrue(IssuanceTest.sameKey(IssuanceTest.entry(o2, "primary.p12", "primary").key(),
            IssuanceTest.entry(o3, "primary.p12", "primary").key()));
        for (String file : List.of("tls.p12", "internal.p12", "truststore.p12", "password")) {
            assertArrayEquals(o2.output().get(file), o3.output().get(file), file + " changed");
        }
    }

    @Test
    void aTrustBundleTargetChoosesItsProfile() throws Exception {
        X509Certificate ca = TrustAssemblyTest.ca("Profile Root", T0, Duration.ofDays(3650));
        TrustBundle tb = TrustAssemblyTest.bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec:
              sources:
              - inline: "x"
              target: {pkcs12Profile: Legacy}
            """);
        var r1 = TrustAssembly.assemble(tb, List.of(ca), Map.of(), null, T0, TestKeys.nextSeeded());
        byte[] legacy = r1.output().get(TrustAssembly.PKCS12_FILE);
        assertEquals(Optional.of(Pkcs12Profile.LEGACY), Pkcs12Profile.of(legacy));
        String pw = new String(r1.output().get("password"), StandardCharsets.UTF_8);
        assertEquals(1, KeystoreCodec.read(StoreType.PKCS12, legacy, pw.toCharArray()).entries().size());

        var r2 = TrustAssembly.assemble(tb, List.of(ca), new HashMap<>(r1.output()), null, T0, TestKeys.nextSeeded());
        assertArrayEquals(legacy, r2.output().get(TrustAssembly.PKCS12_FILE), "unchanged: the same bytes");

        tb.getSpec().target.pkcs12Profile = null;
        var r3 = TrustAssembly.assemble(tb, List.of(ca), new HashMap<>(r2.output()), null, T0, TestKeys.nextSeeded());
        assertEquals(Optional.of(Pkcs12Profile.MODERN), Pkcs12Profile.of(r3.output().get(TrustAssembly.PKCS12_FILE)));
    }
}
