package dev.keystore.operator.plan;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keystore.operator.api.v1alpha1.ImportSpec;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.LocalRef;
import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyAndChain;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.plan.SlotDecision.StableKey;
import dev.keystore.operator.plan.SlotDecision.Verdict;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-slot decision as a table (Strimzi's keep / renew / replace states). {@link SlotDecision#decide}
 * gets no {@link Signer}: it cannot sign, so each row checks the decision alone. The certificates
 * it decides about are made once, before the table.
 */
class SlotDecisionTest {
    static SetDefinition def;
    /** tls under rotationPolicy Never (its default is Always). */
    static SetDefinition never;
    static SetDefinition importing;
    static SetDefinition standIn;
    static CertificateAuthority ca;
    static CertificateAuthority otherCa;
    static KeyAndChain tls;
    static KeyAndChain internal;
    static KeyAndChain primary;

    @BeforeAll
    static void fixtures() throws Exception {
        def = SetDefinition.of(IssuanceTest.threeSlots("dec"));
        KeystoreSet a = IssuanceTest.threeSlots("dec");
        a.getSpec().tls.privateKey.rotationPolicy = RotationPolicy.Never;
        never = SetDefinition.of(a);
        KeystoreSet i = IssuanceTest.threeSlots("dec");
        i.getSpec().tls.importFrom = new ImportSpec();
        i.getSpec().tls.importFrom.secretRef = new LocalRef();
        i.getSpec().tls.importFrom.secretRef.name = "web";
        importing = SetDefinition.of(i);
        standIn = SetDefinition.of(IssuanceTest.primaryAndTls("dec"));
        ca = TestKeys.ecCa("dec CA");
        otherCa = TestKeys.ecCa("another CA");
        Signer signer = TestKeys.signerAt(T0);
        KeySource keys = KeySource.generating(TestKeys.seeded(20));
        tls = leaf(signer, keys, def.slot(SlotName.TLS).orElseThrow());
        internal = leaf(signer, keys, def.slot(SlotName.INTERNAL).orElseThrow());
        primary = leaf(signer, keys, def.slot(SlotName.PRIMARY).orElseThrow());
    }

    static KeyAndChain leaf(Signer signer, KeySource keys, SlotDefinition slot) {
        var pair = keys.keyPair(slot.keyType());
        return new KeyAndChain(pair.getPrivate(), signer.issue(ca, slot.profile(), pair.getPublic(), slot.duration()));
    }

    static final Instant SOON = T0.plus(Duration.ofDays(1));
    static final Instant DUE = T0.plus(Duration.ofDays(360));

    record Row(String what, SetDefinition def, SlotName slot, KeyAndChain current, StableKey stable, KeyAndChain home,
               CertificateAuthority signing, Instant now, String token, Imported imported,
               Verdict verdict, SlotAction action, List<Notice.Kind> notices, String problem, KeyAndChain keyFrom) {
        @Override
        public String toString() {
            return what;
        }
    }

    static StableKey noRecord() {
        return new StableKey(SlotName.INTERNAL, null, null);
    }

    static Stream<Arguments> table() {
        Imported good = new Imported(tls, List.of(), null);
        Imported unreadable = Imported.failed(Problem.invalidSpec("spec.tls.import", "is unreadable"));
        StableKey recorded = new StableKey(SlotName.INTERNAL, internal, "internal");
        StableKey primaryRecorded = new StableKey(SlotName.INTERNAL, primary, "primary");
        StableKey primaryStandsIn = new StableKey(SlotName.PRIMARY, primary, "primary");
        return Stream.of(
            new Row("nothing yet: issue", def, SlotName.TLS, null, noRecord(), null, ca, T0, null, null,
                Verdict.ROTATE, SlotAction.ISSUED, List.of(), null, null),
            new Row("good and not due: keep", def, SlotName.TLS, tls, noRecord(), null, ca, SOON, null, null,
                Verdict.KEEP, SlotAction.KEPT, List.of(), null, tls),
            new Row("due under rotationPolicy Never: renew the same key", never, SlotName.TLS, tls, noRecord(), null, ca, DUE, null, null,
                Verdict.RENEW, SlotAction.RENEWED, List.of(), null, tls),
            new Row("due under rotationPolicy Always (tls default): rotate", def, SlotName.TLS, tls, noRecord(), null, ca, DUE, null, null,
                Verdict.ROTATE, SlotAction.ROTATED, List.of(), null, null),
            new Row("another issuer: renew", def, SlotName.TLS, tls, noRecord(), null, otherCa, SOON, null, null,
                Verdict.RENEW, SlotAction.RENEWED, List.of(), null, tls),
            new Row("rotation token: rotate and tell", def, SlotName.TLS, tls, noRecord(), null, ca, SOON, "t1", null,
                Verdict.ROTATE, SlotAction.ROTATED, List.of(Notice.Kind.KEY_MATERIAL), null, null),
            new Row("rotation token on internal: refused, kept", def, SlotName.INTERNAL, internal, recorded, internal, ca,
                SOON, "t1", null, Verdict.KEEP, SlotAction.KEPT, List.of(Notice.Kind.REFUSED), null, internal),
            new Row("rotation token on primary standing in: refused", standIn, SlotName.PRIMARY, primary, primaryStandsIn,
                primary, ca, SOON, "t2", null, Verdict.KEEP, SlotAction.KEPT, List.of(Notice.Kind.REFUSED), null, primary),
            new Row("output lost, record holds internal: adopt", def, SlotName.INTERNAL, null, recorded, internal, ca, SOON,
                null, null, Verdict.ADOPT, SlotAction.KEPT, List.of(), null, internal),
            new Row("recorded internal key, certificate due: renew it", def, SlotName.INTERNAL, null, recorded, internal, ca,
                DUE, null, null, Verdict.RENEW, SlotAction.RENEWED, List.of(), null, internal),
            new Row("internal took primary's key: tell", def, SlotName.INTERNAL, null, primaryRecorded, primary, ca, SOON,
                null, null, Verdict.ADOPT, SlotAction.KEPT, List.of(Notice.Kind.KEY_ADOPTED), null, primary),
            new Row("primary's key became internal: rotate primary", def, SlotName.PRIMARY, primary, primaryRecorded, null,
                ca, SOON, null, null, Verdict.ROTATE, SlotAction.ROTATED, List.of(Notice.Kind.KEY_ADOPTED), null, null),
            new Row("internal of another key type: refuse", def, SlotName.INTERNAL, tls, noRecord(), null, ca, SOON, null,
                null, Verdict.REFUSE, null, List.of(), Problem.INTERNAL_KEY_IMMUTABLE, null),
            new Row("import, nothing yet: import", importing, SlotName.TLS, null, noRecord(), null, ca, SOON, null, good,
                Verdict.IMPORT, SlotAction.IMPORTED, List.of(), null, tls),
            new Row("import already in the output: keep", importing, SlotName.TLS, tls, noRecord(), null, ca, SOON, null, good,
                Verdict.KEEP, SlotAction.KEPT, List.of(), null, tls),
            new Row("import unreadable: refuse", importing, SlotName.TLS, null, noRecord(), null, ca, SOON, null, unreadable,
                Verdict.REFUSE, null, List.of(), Problem.INVALID_SPEC, null),
            new Row("import without its read: refuse", importing, SlotName.TLS, null, noRecord(), null, ca, SOON, null, null,
                Verdict.REFUSE, null, List.of(), Problem.INVALID_SPEC, null)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        SlotDefinition slot = row.def().slot(row.slot()).orElseThrow();
        SlotDecision d = SlotDecision.decide(slot, Optional.ofNullable(row.current()), row.stable(), row.home(),
            row.signing().chain(), row.now(), row.token(), row.imported());
        assertEquals(row.verdict(), d.verdict(), d.reason());
        assertEquals(row.action(), d.action(), d.reason());
        assertEquals(row.notices(), d.notices().stream().map(Notice::kind).toList(), d.notices().toString());
        if (row.problem() == null) {
            assertNull(d.refusal(), d.reason());
        } else {
            assertEquals(row.problem(), d.refusal().reason(), d.refusal().message());
        }
        if (row.keyFrom() == null) {
            assertNull(d.material(), "nothing to keep: " + d.reason());
        } else {
            assertArrayEquals(row.keyFrom().key().getEncoded(), d.material().key().getEncoded(), "the key kept");
            X509Certificate carrier = d.material().certificate();
            assertEquals(row.keyFrom().certificate().getPublicKey(), carrier.getPublicKey(), "the certificate carries it");
        }
    }
}
