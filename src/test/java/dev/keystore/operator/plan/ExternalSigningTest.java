package dev.keystore.operator.plan;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.ExternalIssuer;
import dev.keystore.operator.api.v1alpha1.IssuerSpec;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.LocalRef;
import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyAndChain;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.plan.ExternalSigning.Step;
import dev.keystore.operator.plan.ExternalSigning.Verdict;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issuer.external decision table: keep, accept, await, refuse per slot, from the certificate in
 * use, the key waiting for its signature and the reply. The chains here come from a test CA of our
 * own (the table is about the decision); the flows that sign with openssl are ExternalSigningRenderTest
 * and ExternalSigningIT.
 */
class ExternalSigningTest {
    static SlotDefinition tls;
    static SlotDefinition tlsNever;
    static SlotDefinition internal;
    static CertificateAuthority root;
    static CertificateAuthority other;
    static Signer signer;
    static KeyPair currentKey;
    static KeyPair pendingKey;
    static KeyPair strangerKey;
    static KeyAndChain current;
    static KeyAndChain internalCurrent;
    static List<X509Certificate> replyForPending;
    static List<X509Certificate> replyForStranger;
    static List<X509Certificate> renewedForCurrent;
    static List<X509Certificate> leafOnly;
    static List<X509Certificate> wrongChain;
    static List<X509Certificate> narrowUsages;

    static final Instant SOON = T0.plus(Duration.ofDays(1));
    static final Instant DUE = T0.plus(Duration.ofDays(300));
    static final Instant EXPIRED = T0.plus(Duration.ofDays(400));
    static final String WHERE = "Secret signed key tls.crt";
    static final String CSR = "Secret out-csr key tls.csr";

    static KeystoreSet external(String name) {
        KeystoreSet set = IssuanceTest.threeSlots(name);
        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.external = new ExternalIssuer();
        set.getSpec().issuer.external.certificateSecretRef = new LocalRef("signed");
        return set;
    }

    @BeforeAll
    static void fixtures() throws Exception {
        SetDefinition def = SetDefinition.of(external("ext"));
        assertEquals(SetDefinition.IssuerDefinition.Kind.EXTERNAL, def.issuer().kind());
        tls = def.slot(SlotName.TLS).orElseThrow();
        internal = def.slot(SlotName.INTERNAL).orElseThrow();
        KeystoreSet n = external("ext");
        n.getSpec().tls.privateKey.rotationPolicy = RotationPolicy.Never;
        tlsNever = SetDefinition.of(n).slot(SlotName.TLS).orElseThrow();
        root = TestKeys.ecCa("ext root");
        other = TestKeys.ecCa("other root");
        signer = TestKeys.signerAt(T0);
        KeySource keys = KeySource.generating(TestKeys.seeded(22));
        currentKey = keys.keyPair(tls.keyType());
        pendingKey = keys.keyPair(tls.keyType());
        strangerKey = keys.keyPair(tls.keyType());
        current = new KeyAndChain(currentKey.getPrivate(), signed(tls.profile(), currentKey, T0));
        KeyPair internalKey = keys.keyPair(internal.keyType());
        internalCurrent = new KeyAndChain(internalKey.getPrivate(), signed(internal.profile(), internalKey, T0));
        replyForPending = signed(tls.profile(), pendingKey, DUE);
        replyForStranger = signed(tls.profile(), strangerKey, DUE);
        renewedForCurrent = signed(tls.profile(), currentKey, DUE);
        leafOnly = replyForPending.subList(0, 1);
        // the leaf from root, followed by another CA: it does not verify up to the last certificate
        wrongChain = List.of(replyForPending.get(0), other.certificate());
        CertificateProfile p = tls.profile();
        narrowUsages = signed(new CertificateProfile(p.subject(), p.dnsNames(), p.ipAddresses(), p.keyUsage(),
            Set.of(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth.getId()), false), pendingKey, DUE);
    }

    static List<X509Certificate> signed(CertificateProfile profile, KeyPair keys, Instant at) {
        return TestKeys.signerAt(at).issue(root, profile, keys.getPublic(), Duration.ofDays(365));
    }

    record Row(String what, SlotDefinition slot, KeyAndChain current, PrivateKey fixed, boolean stable, PrivateKey pending,
               List<X509Certificate> reply, Instant now, String token, Verdict verdict, SlotAction action,
               PrivateKey requestFor, boolean newKey, String problem) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> table() {
        List<Row> rows = new ArrayList<>();
        PrivateKey cur = currentKey.getPrivate();
        PrivateKey pen = pendingKey.getPrivate();
        rows.add(new Row("first run: a CSR for a new key", tls, null, null, false, null, null, SOON, null,
            Verdict.AWAIT, SlotAction.KEPT, null, true, null));
        rows.add(new Row("first run, pending key, no reply: the same key waits", tls, null, null, false, pen, null, SOON, null,
            Verdict.AWAIT, SlotAction.KEPT, pen, false, null));
        rows.add(new Row("the reply for the pending key is accepted", tls, null, null, false, pen, replyForPending, DUE, null,
            Verdict.ACCEPT, SlotAction.ISSUED, null, false, null));
        rows.add(new Row("a reply for another key, nothing in use: refused", tls, null, null, false, pen, replyForStranger, DUE,
            null, Verdict.REFUSE, null, pen, false, "holds a certificate for another key than the CSR in " + CSR));
        rows.add(new Row("the leaf alone: refused", tls, null, null, false, pen, leafOnly, DUE, null,
            Verdict.REFUSE, null, pen, false, "holds only the leaf"));
        rows.add(new Row("a chain that does not verify to its last certificate: refused", tls, null, null, false, pen,
            wrongChain, DUE, null, Verdict.REFUSE, null, pen, false, "does not verify up to its last certificate"));
        rows.add(new Row("a certificate without a requested usage: refused", tls, null, null, false, pen, narrowUsages, DUE,
            null, Verdict.REFUSE, null, pen, false, "lacks requested extended key usages"));
        rows.add(new Row("a good certificate is kept, a stale reply ignored", tls, current, null, false, null, replyForStranger,
            SOON, null, Verdict.KEEP, SlotAction.KEPT, null, false, null));
        rows.add(new Row("due, rotationPolicy Always: a new key waits, the certificate stays in use", tls, current, null, false,
            null, current.chain(), DUE, null, Verdict.AWAIT, SlotAction.KEPT, null, true, null));
        rows.add(new Row("due, pending: the certificate in use in the Secret is not a reply", tls, current, null, false, pen,
            current.chain(), DUE, null, Verdict.AWAIT, SlotAction.KEPT, pen, false, null));
        rows.add(new Row("due, pending: a newer certificate for the key in use is not a reply either", tls, current, null,
            false, pen, renewedForCurrent, DUE, null, Verdict.AWAIT, SlotAction.KEPT, pen, false, null));
        rows.add(new Row("due, pending: the reply for the pending key swaps", tls, current, null, false, pen, replyForPending,
            DUE, null, Verdict.ACCEPT, SlotAction.ROTATED, null, false, null));
        rows.add(new Row("due, pending: a reply for another key is refused, the certificate stays", tls, current, null, false,
            pen, replyForStranger, DUE, null, Verdict.AWAIT, SlotAction.KEPT, pen, false, "for another key"));
        rows.add(new Row("due, rotationPolicy Never: the CSR carries the key in use", tlsNever, current, null, false, null,
            current.chain(), DUE, null, Verdict.AWAIT, SlotAction.KEPT, cur, false, null));
        rows.add(new Row("rotationPolicy Never: a new certificate for the same key renews", tlsNever, current, null, false, cur,
            renewedForCurrent, DUE, null, Verdict.ACCEPT, SlotAction.RENEWED, null, false, null));
        rows.add(new Row("a rotation token: a new key waits", tls, current, null, false, null, null, SOON, "t1",
            Verdict.AWAIT, SlotAction.KEPT, null, true, null));
        rows.add(new Row("expired: nothing in use, a new key waits", tls, current, null, false, null, null, EXPIRED, null,
            Verdict.AWAIT, SlotAction.KEPT, null, true, null));
        PrivateKey fixed = internalCurrent.key();
        rows.add(new Row("internal, due: the CSR carries the key that never changes", internal, internalCurrent, fixed, true,
            null, null, DUE, null, Verdict.AWAIT, SlotAction.KEPT, fixed, false, null));
        rows.add(new Row("internal, no output: a reply for the pending tls key is refused, the recorded key waits", internal,
            null, fixed, true, pen, replyForPending, DUE, null, Verdict.REFUSE, null, fixed, false, "for another key"));
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        Step step = ExternalSigning.decide(row.slot(), Optional.ofNullable(row.current()), row.fixed(), row.stable(),
            row.pending(), row.reply(), null, row.now(), row.token(), WHERE, CSR);
        assertEquals(row.verdict(), step.verdict(), step.reason());
        assertEquals(row.action(), step.action(), step.reason());
        if (row.verdict() == Verdict.AWAIT || row.verdict() == Verdict.REFUSE) {
            if (row.newKey()) {
                assertNull(step.requestFor(), "a new key pair: " + step.reason());
            } else {
                assertSame(row.requestFor(), step.requestFor(), step.reason());
            }
        }
        if (row.problem() == null) {
            assertNull(step.problem(), () -> step.problem().message());
        } else {
            assertNotNull(step.problem(), step.reason());
            assertEquals(Problem.BAD_INPUT, step.problem().reason());
            assertTrue(step.problem().message().startsWith(WHERE), step.problem().message());
            assertTrue(step.problem().message().contains(row.problem()), step.problem().message());
        }
        boolean inUse = row.verdict() == Verdict.KEEP || row.verdict() == Verdict.AWAIT && row.current() != null
            && row.now().isBefore(row.current().certificate().getNotAfter().toInstant());
        if (inUse) {
            assertSame(row.current(), step.inUse(), "the certificate in use stays");
        }
        if (row.verdict() == Verdict.ACCEPT) {
            assertEquals(row.reply(), step.inUse().chain());
        }
        if (row.verdict() == Verdict.REFUSE) {
            assertNull(step.inUse());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void anUnreadableReplyIsNamed(String what, Problem read, Verdict verdict) {
        Step step = ExternalSigning.decide(tls, Optional.ofNullable(verdict == Verdict.AWAIT ? current : null), null, false,
            pendingKey.getPrivate(), null, read, DUE, null, WHERE, CSR);
        assertEquals(verdict, step.verdict());
        assertSame(read, step.problem());
    }

    static Stream<Arguments> unreadable() {
        Problem p = new Problem(Problem.BAD_INPUT, WHERE + " is not PEM");
        return Stream.of(Arguments.of("with a certificate in use: a warning", p, Verdict.AWAIT),
            Arguments.of("with none: refused", p, Verdict.REFUSE));
    }
}
