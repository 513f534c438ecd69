package dev.keystore.operator.inspect;

import static dev.keystore.operator.inspect.Specimens.INTERMEDIATE;
import static dev.keystore.operator.inspect.Specimens.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerdictTest {
    static final Specimens.Issued LEAF = Specimens.leaf("chain.example.com").issuedBy(INTERMEDIATE);
    static final Anchor TRUSTED_ROOT = new Anchor(ROOT.certificate(), "trust.p12 [root]");

    @Test
    void leafIntermediateRootIsCompleteAndTrustedWhereTheRootIs() {
        ChainVerdict v = ChainVerdict.of(Specimens.chain(LEAF), List.of(TRUSTED_ROOT), List.of());
        assertEquals(ChainVerdict.Status.COMPLETE, v.status());
        assertEquals("trust.p12 [root]", v.trustedBy());
        assertNull(v.detail());
        assertNull(ChainVerdict.of(Specimens.chain(LEAF), List.of(), List.of()).trustedBy());
    }

    @Test
    void aSelfSignedCertificateAloneIsComplete() {
        Specimens.Issued self = Specimens.leaf("self.example.com").selfSigned();
        assertEquals(ChainVerdict.Status.COMPLETE, ChainVerdict.of(List.of(self.certificate()), List.of(), List.of()).status());
    }

    @Test
    void aMissingRootFoundInATruststoreIsNoRoot() {
        ChainVerdict v = ChainVerdict.of(List.of(LEAF.certificate(), INTERMEDIATE.certificate()), List.of(TRUSTED_ROOT),
            List.of());
        assertEquals(ChainVerdict.Status.NO_ROOT, v.status());
        assertEquals("trust.p12 [root]", v.trustedBy());
    }

    @Test
    void aMissingRootFoundNowhereIsIncomplete() {
        ChainVerdict v = ChainVerdict.of(List.of(LEAF.certificate(), INTERMEDIATE.certificate()), List.of(), List.of());
        assertEquals(ChainVerdict.Status.INCOMPLETE, v.status());
        assertTrue(v.detail().contains("CN=Inspect Root CA"), v.detail());
    }

    @Test
    void aMissingIntermediateIsIncompleteEvenWhenTheRootIsThere() {
        ChainVerdict v = ChainVerdict.of(List.of(LEAF.certificate(), ROOT.certificate()), List.of(TRUSTED_ROOT),
            List.of(INTERMEDIATE.certificate()));
        assertEquals(ChainVerdict.Status.INCOMPLETE, v.status());
        assertTrue(v.detail().contains("the issuer \"CN=Inspect Intermediate CA, O=Example\""), v.detail());
        ChainVerdict leafOnly = ChainVerdict.of(List.of(LEAF.certificate()), List.of(TRUSTED_ROOT),
            List.of(INTERMEDIATE.certificate()));
        assertEquals(ChainVerdict.Status.INCOMPLETE, leafOnly.status(), "the intermediate is known but not in the entry");
    }

    @Test
    void swappedCertificatesAreOutOfOrder() {
        assertEquals(ChainVerdict.Status.OUT_OF_ORDER, ChainVerdict.of(List.of(LEAF.certificate(), ROOT.certificate(),
            INTERMEDIATE.certificate()), List.of(), List.of()).status());
        assertEquals(ChainVerdict.Status.OUT_OF_ORDER, ChainVerdict.of(List.of(ROOT.certificate(),
            INTERMEDIATE.certificate(), LEAF.certificate()), List.of(), List.of()).status());
    }

    @Test
    void aCertificateWithTheIssuersNameButAnotherKeyDoesNotIssue() {
        Specimens.Issued impostor = Specimens.certificate("CN=Inspect Intermediate CA, O=Example").keys(Specimens.ec(99))
            .ca().issuedBy(ROOT);
        assertEquals(ChainVerdict.Status.INCOMPLETE, ChainVerdict.of(List.of(LEAF.certificate(), impostor.certificate(),
            ROOT.certificate()), List.of(), List.of()).status());
    }
}
