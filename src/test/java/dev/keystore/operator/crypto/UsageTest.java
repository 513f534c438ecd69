package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeyUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void masksAreBouncyCastlesKeyUsageBits() {
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature, Usage.DIGITAL_SIGNATURE.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation, Usage.NON_REPUDIATION.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment, Usage.KEY_ENCIPHERMENT.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment, Usage.DATA_ENCIPHERMENT.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.keyAgreement, Usage.KEY_AGREEMENT.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign, Usage.KEY_CERT_SIGN.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.cRLSign, Usage.CRL_SIGN.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.encipherOnly, Usage.ENCIPHER_ONLY.mask());
        assertEquals(org.bouncycastle.asn1.x509.KeyUsage.decipherOnly, Usage.DECIPHER_ONLY.mask());
        assertEquals(0, Usage.SERVER_AUTH.mask());
    }

    @Test
    void everyApiUsageHasItsNameHere() {
        for (KeyUsage usage : KeyUsage.values()) {
            assertTrue(Usage.named(usage.name()).isPresent(), usage.name());
        }
        assertFalse(Usage.named("serverauth").isPresent());
    }

    @Test
    void readsTheBitsOfACertificateBackAsNamesInBitOrder() {
        boolean[] bits = new boolean[9];
        bits[0] = true;
        bits[3] = true;
        bits[8] = true;
        assertEquals(List.of(Usage.DIGITAL_SIGNATURE, Usage.DATA_ENCIPHERMENT, Usage.DECIPHER_ONLY), Usage.keyUsages(bits));
        assertEquals(List.of(), Usage.keyUsages(null));
        boolean[] all = new boolean[12];
        Arrays.fill(all, true);
        assertEquals(9, Usage.keyUsages(all).size(), "bits past decipherOnly have no name");
        assertEquals(Usage.mask(Usage.keyUsages(bits)), Usage.DIGITAL_SIGNATURE.mask() | Usage.DATA_ENCIPHERMENT.mask()
            | Usage.DECIPHER_ONLY.mask());
    }

    @Test
    void extendedKeyUsagesAreOidsBothWays() {
        assertEquals(Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"),
            Usage.oids(List.of(Usage.DIGITAL_SIGNATURE, Usage.SERVER_AUTH, Usage.CLIENT_AUTH)));
        assertEquals("ocspSigning", Usage.purposeName("1.3.6.1.5.5.7.3.9"));
        assertEquals("anyExtendedKeyUsage", Usage.purposeName("2.5.29.37.0"));
        assertEquals("1.2.3.4", Usage.purposeName("1.2.3.4"), "an unknown purpose stays its OID");
    }

    @Test
    void aSignedCertificateCarriesTheProfilesUsages() throws Exception {
        int mask = Usage.mask(List.of(Usage.DIGITAL_SIGNATURE, Usage.KEY_AGREEMENT));
        var subject = new SubjectName(List.of("DE"), null, null, List.of("Example", " "), null, "leaf").x500();
        assertEquals("C=DE,O=Example,CN=leaf", subject.toString());
        CertificateProfile profile = new CertificateProfile(subject, Set.of("leaf.example"), Set.of(), mask,
            Set.of(Usage.SERVER_AUTH.oid), false);
        var leaf = TestKeys.signerAt(TestKeys.T0).issue(TestKeys.ecCa("usage CA"), profile, TestKeys.ec256().getPublic(),
            java.time.Duration.ofDays(30)).get(0);
        assertEquals(profile, CertificateProfile.of(leaf));
        assertEquals(List.of(Usage.DIGITAL_SIGNATURE, Usage.KEY_AGREEMENT), Usage.keyUsages(leaf.getKeyUsage()));
        assertEquals(List.of("serverAuth"), leaf.getExtendedKeyUsage().stream().map(Usage::purposeName).toList());
    }
}
