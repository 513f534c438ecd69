package dev.keystore.operator.crypto;

import static dev.keystore.operator.testing.HostileDer.nestedDefinite;
import static dev.keystore.operator.testing.HostileDer.nestedIndefinite;
import static dev.keystore.operator.testing.HostileDer.pem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.junit.jupiter.api.Test;

/**
 * Deeply nested ASN.1 in any PEM or DER we read is refused as our own error: Bouncy Castle, given
 * it, overflows its stack. The nesting bound never refuses what real certificates hold.
 */
class HostileAsn1Test {
    @Test
    void bouncyCastleReallyOverflowsOnThisInput() {
        // the premise: without the bound, this input is a StackOverflowError, not an exception
        byte[] deep = nestedIndefinite(200_000);
        assertThrows(StackOverflowError.class, () -> ASN1Primitive.fromByteArray(deep));
    }

    @Test
    void deepNestingInEveryPemTypeIsOurOwnError() {
        for (byte[] der : List.of(nestedIndefinite(200_000), nestedDefinite(100_000, new byte[] {5, 0}))) {
            for (String type : List.of("CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
                "ENCRYPTED PRIVATE KEY", "X509 CRL", "PUBLIC KEY")) {
                byte[] input = pem(type, der);
                Pem.PemException c = assertThrows(Pem.PemException.class, () -> Pem.certificates(input), type);
                assertTrue(c.getMessage().contains("nests deeper than 64 levels"), c.getMessage());
                assertThrows(Pem.PemException.class, () -> Pem.privateKey(input), type);
                assertThrows(Pem.PemException.class, () -> Pem.privateKeyIn(input), type);
            }
            assertThrows(Pem.PemException.class, () -> Pem.certificate(der));
        }
    }

    @Test
    void nestingHiddenInsideAnOctetStringIsMeasuredToo() {
        byte[] deep = nestedDefinite(5_000, new byte[] {5, 0});
        byte[] wrapped = new byte[deep.length + 5];
        wrapped[0] = 0x04;
        wrapped[1] = (byte) 0x83;
        wrapped[2] = (byte) (deep.length >> 16);
        wrapped[3] = (byte) (deep.length >> 8);
        wrapped[4] = (byte) deep.length;
        System.arraycopy(deep, 0, wrapped, 5, deep.length);
        assertFalse(Asn1Nesting.withinBound(nestedDefinite(3, wrapped)));
        assertTrue(Asn1Nesting.withinBound(nestedDefinite(3, new byte[] {4, 3, 0x30, 1, 0})));
    }

    @Test
    void theBoundIsExactAndRealCertificatesAreFarBelowIt() throws Exception {
        assertEquals(64, Asn1Nesting.depth(nestedDefinite(64, new byte[] {5, 0}), 64));
        assertTrue(Asn1Nesting.withinBound(nestedDefinite(64, new byte[] {5, 0})));
        assertFalse(Asn1Nesting.withinBound(nestedDefinite(65, new byte[] {5, 0})));
        CertificateAuthority ca = TestKeys.ecCa("Depth CA");
        List<X509Certificate> chain = TestKeys.signerAt(TestKeys.T0).issue(ca,
            TestKeys.leafProfile("depth.example", Set.of("a.example", "b.example"), Set.of("10.0.0.1")),
            TestKeys.rsa2048().getPublic(), Duration.ofDays(30));
        for (X509Certificate c : chain) {
            int depth = Asn1Nesting.depth(c.getEncoded(), 64);
            assertTrue(depth < 16, "depth " + depth);
            assertEquals(c, Pem.certificate(c.getEncoded()));
        }
        for (X509Certificate c : dev.keystore.operator.keystore.SystemTrust.certificates()) {
            assertTrue(Asn1Nesting.withinBound(c.getEncoded()), c.getSubjectX500Principal().getName());
        }
    }

    @Test
    void malformedInputIsMeasuredAsFarAsItReadsAndNeverLoops() {
        // lengths pointing past the end, a high tag number, garbage: all answered at once
        assertTrue(Asn1Nesting.withinBound(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertTrue(Asn1Nesting.withinBound(new byte[] {0x3f, (byte) 0x81, (byte) 0x81, (byte) 0x81, 0x01, 0x00}));
        assertTrue(Asn1Nesting.withinBound(new byte[0]));
        assertTrue(Asn1Nesting.withinBound(new byte[] {0x30}));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[random.nextInt(2048)];
            random.nextBytes(b);
            Asn1Nesting.withinBound(b);
        }
    }
}
