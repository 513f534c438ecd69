package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

class CertificateChainTest {

    private static X509Certificate leafOf(CertificateAuthority ca) {
        CertificateProfile profile = new CertificateProfile(new X500Name("CN=leaf"), Set.of(), Set.of(),
            Usage.DIGITAL_SIGNATURE.mask(), Set.of(), false);
        return TestKeys.signerAt(TestKeys.T0).issue(ca, profile, TestKeys.ec256().getPublic(), Duration.ofDays(1)).get(0);
    }

    @Test
    void theSigningCaIssuesItsLeafAndItself() {
        CertificateAuthority ca = TestKeys.ecCa("chain CA");
        X509Certificate leaf = leafOf(ca);
        assertTrue(CertificateChain.issues(ca.certificate(), leaf));
        assertTrue(CertificateChain.selfSigned(ca.certificate()));
        assertFalse(CertificateChain.selfSigned(leaf));
        assertFalse(CertificateChain.issues(leaf, ca.certificate()));
    }

    @Test
    void aCaWithTheSameNameButAnotherKeyDoesNotIssueIt() {
        X509Certificate leaf = leafOf(TestKeys.ecCa("twin"));
        CertificateAuthority twin = TestKeys.ecCa("twin");
        assertFalse(CertificateChain.issues(twin.certificate(), leaf), "names link, the signature does not verify");
    }

    @Test
    void aCaWithAnotherNameDoesNotIssueIt() {
        CertificateAuthority ca = TestKeys.ecCa("named");
        X509Certificate leaf = leafOf(ca);
        CertificateAuthority other = new CertificateAuthority(ca.key(),
            List.of(TestKeys.signerAt(TestKeys.T0).selfSignedCa(new X500Name("CN=renamed"),
                new java.security.KeyPair(ca.certificate().getPublicKey(), ca.key()), Duration.ofDays(10)).certificate()));
        assertFalse(CertificateChain.issues(other.certificate(), leaf), "same key, the names do not link");
    }
}
