package dev.keystore.operator.crypto;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignerTest {
    static final String BASIC_CONSTRAINTS = Extension.basicConstraints.getId();
    static final String KEY_USAGE = Extension.keyUsage.getId();
    static final String SAN = Extension.subjectAlternativeName.getId();
    static final String SKI = Extension.subjectKeyIdentifier.getId();
    static final String AKI = Extension.authorityKeyIdentifier.getId();
    // java.security.cert.X509Certificate#getKeyUsage indices (RFC 5280 bit numbers)
    static final int DIGITAL_SIGNATURE = 0;
    static final int KEY_ENCIPHERMENT = 2;
    static final int DATA_ENCIPHERMENT = 3;
    static final int KEY_AGREEMENT = 4;
    static final int KEY_CERT_SIGN = 5;
    static final int CRL_SIGN = 6;

    static KeyPair caKeys;
    static CertificateAuthority ca;

    @BeforeAll
    static void makeCa() {
        caKeys = TestKeys.rsa2048();
        ca = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=Test Root CA,O=Example"), caKeys,
            Duration.ofDays(3650));
    }

    static byte[] ski(X509Certificate cert) throws Exception {
        byte[] value = cert.getExtensionValue(SKI);
        assertNotNull(value, "subjectKeyIdentifier missing");
        return SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value)).getKeyIdentifier();
    }

    static byte[] akiKeyId(X509Certificate cert) throws Exception {
        byte[] value = cert.getExtensionValue(AKI);
        assertNotNull(value, "authorityKeyIdentifier missing");
        return AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value)).getKeyIdentifier();
    }

    /** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING, computed independently. */
    static byte[] rfc5280KeyId(PublicKey key) throws Exception {
        byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        return MessageDigest.getInstance("SHA-1").digest(bits);
    }

    static void validate(List<X509Certificate> chain, X509Certificate anchor, Instant at) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain), params);
    }

    // ---- self-signed CA ----

    @Test
    void selfSignedCaIsACriticalCaWithCertSignUsagesAndKeyIdentifier() throws Exception {
        X509Certificate cert = ca.certificate();

        assertTrue(cert.getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS), "basicConstraints must be critical");
        assertTrue(cert.getBasicConstraints() >= 0, "CA:true");
        boolean[] ku = cert.getKeyUsage();
        assertNotNull(ku);
        assertTrue(ku[KEY_CERT_SIGN], "keyCertSign");
        assertTrue(ku[CRL_SIGN], "cRLSign");
        assertFalse(ku[DIGITAL_SIGNATURE]);
        assertFalse(ku[KEY_ENCIPHERMENT]);
        assertTrue(cert.getCriticalExtensionOIDs().contains(KEY_USAGE), "keyUsage critical");
        assertArrayEquals(rfc5280KeyId(caKeys.getPublic()), ski(cert));
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(new X500Name("CN=Test Root CA,O=Example"),
            X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()));
        assertEquals(caKeys.getPublic(), cert.getPublicKey());
        cert.verify(caKeys.getPublic());
        assertEquals(List.of(cert), ca.chain());
        assertEquals(caKeys.getPrivate(), ca.key());
    }

    @Test
    void selfSignedCaValidityIsBackdatedAndLastsTheRequestedDuration() {
        X509Certificate cert = ca.certificate();
        assertEquals(T0.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant());
        assertEquals(T0.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
    }

    @Test
    void rsa2048CaSignsWithSha256AndRsa3072WithSha384AndEcWithEcdsa() {
        assertEquals("SHA256withRSA", ca.certificate().getSigAlgName());
        CertificateAuthority rsa3072 = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=big"),
            KeyType.rsa(3072).generate(TestKeys.nextSeeded()), Duration.ofDays(10));
        assertEquals("SHA384withRSA", rsa3072.certificate().getSigAlgName());
        CertificateAuthority ec = TestKeys.ecCa("ec");
        assertEquals("SHA256withECDSA", ec.certificate().getSigAlgName());
        CertificateAuthority ec384 = TestKeys.signerAt(T0).selfSignedCa(new X500Name("CN=ec384"),
            KeyType.ec(384).generate(TestKeys.nextSeeded()), Duration.ofDays(10));
        assertEquals("SHA384withECDSA", ec384.certificate().getSigAlgName());
    }

    // ---- leaves ----

    @Test
    void issueReturnsTheChainLeafFirstThenTheCaChain() {
        KeyPair leafKeys = TestKeys.ec256();
        List<X509Certificate> chain = TestKeys.signerAt(T0.plus(Duration.ofHours(1))).issue(ca,
            TestKeys.leafProfile("app.example.com", Set.of("app.example.com"), Set.of()), leafKeys.getPublic(),
            Duration.ofDays(90));

        assertEquals(2, chain.size());
        assertEquals(leafKeys.getPublic(), chain.get(0).getPublicKey());
        assertEquals(ca.certificate(), chain.get(1));
        assertEquals(ca.certificate().getSubjectX500Principal(), chain.get(0).getIssuerX500Principal());
    }

    @Test
    void issueWithAnIntermediateCarriesTheWholeChain() throws Exception {
        KeyPair intermediateKeys = TestKeys.ec256();
        CertificateProfile intermediateProfile = Signer.caProfile(new X500Name("CN=Intermediate"));
        List<X509Certificate> intermediateChain = TestKeys.signerAt(T0).issue(ca, intermediateProfile,
            intermediateKeys.getPublic(), Duration.ofDays(1000));
        CertificateAuthority intermediate = new CertificateAuthority(intermediateKeys.getPrivate(), intermediateChain);

        KeyPair leafKeys = TestKeys.ec256();
        Instant now = T0.plus(Duration.ofDays(1));
        List<X509Certificate> chain = TestKeys.signerAt(now).issue(intermediate,
            TestKeys.leafProfile("leaf", Set.of("leaf.example.com"), Set.of()), leafKeys.getPublic(), Duration.ofDays(30));

        assertEquals(3, chain.size());
        assertEquals(intermediateChain.get(0), chain.get(1));
        assertEquals(ca.certificate(), chain.get(2));
        validate(chain.subList(0, 2), ca.certificate(), now);
    }

    @Test
    void serialNumbersArePositiveAtLeast128BitsAtMost20OctetsAndDistinct() {
        Signer signer = TestKeys.signerAt(T0.plus(Duration.ofHours(1)));
        PublicKey key = TestKeys.ec256().getPublic();
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            BigInteger serial = signer.issue(ca, TestKeys.leafProfile("s", Set.of(), Set.of()), key, Duration.ofDays(1))
                .get(0).getSerialNumber();
            assertEquals(1, serial.signum(), "serial must be positive");
            assertTrue(serial.bitLength() >= 128, "serial has only " + serial.bitLength() + " bits");
            assertTrue(serial.toByteArray().length <= 20, "serial longer than 20 octets");
            serials.add(serial);
        }
        assertEquals(20, serials.size(), "serials repeat");
        assertEquals(1, ca.certificate().getSerialNumber().signum());
        assertTrue(ca.certificate().getSerialNumber().bitLength() >= 128);
    }

    @Test
    void notBeforeIsBackdatedFiveMinutesAndNotAfterIsNowPlusValidity() {
        Instant now = T0.plus(Duration.ofDays(10));
        X509Certificate leaf = TestKeys.signerAt(now).issue(ca, TestKeys.leafProfile("t", Set.of(), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofDays(90)).get(0);

        assertEquals(now.minus(Duration.ofMinutes(5)), leaf.getNotBefore().toInstant());
        assertEquals(now.plus(Duration.ofDays(90)), leaf.getNotAfter().toInstant());
    }

    @Test
    void notAfterIsClampedToTheCaNotAfter() {
        Instant now = T0.plus(Duration.ofDays(3600)); // 50 days before the CA expires
        X509Certificate leaf = TestKeys.signerAt(now).issue(ca, TestKeys.leafProfile("t", Set.of(), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofDays(365)).get(0);

        assertEquals(ca.certificate().getNotAfter(), leaf.getNotAfter());
        assertFalse(leaf.getNotAfter().after(ca.certificate().getNotAfter()));
        assertEquals(now.minus(Duration.ofMinutes(5)), leaf.getNotBefore().toInstant());
    }

    @Test
    void notBeforeIsNeverBeforeTheCaNotBefore() {
        // the CA was made at T0 (notBefore T0-5m); a leaf made a minute earlier by a slower clock
        Instant now = T0.minus(Duration.ofMinutes(1));
        X509Certificate leaf = TestKeys.signerAt(now).issue(ca, TestKeys.leafProfile("t", Set.of(), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofDays(1)).get(0);
        assertEquals(ca.certificate().getNotBefore(), leaf.getNotBefore());
    }

    @Test
    void subjectAlternativeNamesHoldDnsNamesAndIpAddresses() throws Exception {
        CertificateProfile profile = TestKeys.leafProfile("app.example.com",
            Set.of("app.example.com", "app.ns.svc.cluster.local"), Set.of("10.1.2.3", "0:0:0:0:0:0:0:1"));
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, profile, TestKeys.ec256().getPublic(),
            Duration.ofDays(1)).get(0);

        Set<List<?>> names = new HashSet<>();
        for (List<?> name : leaf.getSubjectAlternativeNames()) {
            names.add(new ArrayList<>(name));
        }
        assertEquals(Set.of(List.of(2, "app.example.com"), List.of(2, "app.ns.svc.cluster.local"),
            List.of(7, "10.1.2.3"), List.of(7, "0:0:0:0:0:0:0:1")), names);
        assertFalse(leaf.getCriticalExtensionOIDs().contains(SAN), "SAN is not critical when there is a subject");
    }

    @Test
    void subjectAlternativeNamesAreCriticalWhenTheSubjectIsEmpty() throws Exception {
        CertificateProfile profile = new CertificateProfile(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
            Set.of("only-san.example.com"), Set.of(), KeyUsage.digitalSignature, Set.of(), false);
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, profile, TestKeys.ec256().getPublic(),
            Duration.ofDays(1)).get(0);
        assertTrue(leaf.getCriticalExtensionOIDs().contains(SAN));
    }

    @Test
    void noSubjectAlternativeNameExtensionWithoutNames() {
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, TestKeys.leafProfile("x", Set.of(), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofDays(1)).get(0);
        assertEquals(null, leaf.getExtensionValue(SAN));
    }

    @Test
    void keyUsageAndExtendedKeyUsageFollowTheProfile() throws Exception {
        CertificateProfile profile = new CertificateProfile(new X500Name("CN=primary"), Set.of(), Set.of(),
            KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment,
            Set.of(KeyPurposeId.id_kp_serverAuth.getId(), KeyPurposeId.id_kp_clientAuth.getId()), false);
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, profile, TestKeys.rsa2048().getPublic(),
            Duration.ofDays(1)).get(0);

        boolean[] ku = leaf.getKeyUsage();
        assertTrue(ku[DIGITAL_SIGNATURE]);
        assertTrue(ku[KEY_ENCIPHERMENT]);
        assertTrue(ku[DATA_ENCIPHERMENT]);
        assertFalse(ku[KEY_AGREEMENT]);
        assertFalse(ku[KEY_CERT_SIGN]);
        assertFalse(ku[CRL_SIGN]);
        assertTrue(leaf.getCriticalExtensionOIDs().contains(KEY_USAGE));
        assertEquals(Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), new HashSet<>(leaf.getExtendedKeyUsage()));
        assertEquals(-1, leaf.getBasicConstraints(), "a leaf is CA:false");
        assertTrue(leaf.getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS));
    }

    @Test
    void keyAgreementUsageOnlyWhenAsked() {
        CertificateProfile profile = new CertificateProfile(new X500Name("CN=ec"), Set.of(), Set.of(),
            KeyUsage.digitalSignature | KeyUsage.keyAgreement, Set.of(), false);
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, profile, TestKeys.ec256().getPublic(),
            Duration.ofDays(1)).get(0);
        boolean[] ku = leaf.getKeyUsage();
        assertTrue(ku[KEY_AGREEMENT]);
        assertFalse(ku[KEY_ENCIPHERMENT]);
        assertEquals(null, leaf.getExtensionValue(Extension.extendedKeyUsage.getId()), "no EKU when none asked");
    }

    @Test
    void leafHasItsOwnSkiAndAnAkiThatIsTheCaSki() throws Exception {
        KeyPair leafKeys = TestKeys.ec256();
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, TestKeys.leafProfile("x", Set.of(), Set.of()),
            leafKeys.getPublic(), Duration.ofDays(1)).get(0);

        assertArrayEquals(rfc5280KeyId(leafKeys.getPublic()), ski(leaf));
        assertArrayEquals(ski(ca.certificate()), akiKeyId(leaf));
        assertFalse(java.util.Arrays.equals(ski(leaf), akiKeyId(leaf)));
    }

    @Test
    void leafSignatureVerifiesWithTheCaKeyOnlyAndTheChainValidates() throws Exception {
        Instant now = T0.plus(Duration.ofDays(1));
        List<X509Certificate> chain = TestKeys.signerAt(now).issue(ca,
            TestKeys.leafProfile("x", Set.of("x.example.com"), Set.of()), TestKeys.rsa2048().getPublic(),
            Duration.ofDays(30));

        chain.get(0).verify(ca.certificate().getPublicKey());
        assertThrows(SignatureException.class, () -> chain.get(0).verify(TestKeys.rsa2048().getPublic()));
        validate(chain.subList(0, 1), ca.certificate(), now);
        // and the validation fails after notAfter, so the check above is real
        assertThrows(CertPathValidatorException.class,
            () -> validate(chain.subList(0, 1), ca.certificate(), now.plus(Duration.ofDays(31))));
    }

    @Test
    void anEcCaSignsAnRsaLeaf() throws Exception {
        CertificateAuthority ecCa = TestKeys.ecCa("EC CA");
        KeyPair leafKeys = TestKeys.rsa2048();
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ecCa, TestKeys.leafProfile("x", Set.of(), Set.of()),
            leafKeys.getPublic(), Duration.ofDays(1)).get(0);
        assertEquals("SHA256withECDSA", leaf.getSigAlgName());
        assertEquals(leafKeys.getPublic(), leaf.getPublicKey());
        leaf.verify(ecCa.certificate().getPublicKey());
    }

    @Test
    void anIssuedCertificateReadsBackAsTheProfileItWasIssuedFor() {
        // Issuance keeps a certificate only while CertificateProfile.of(cert) equals the wanted profile
        CertificateProfile profile = new CertificateProfile(
            new X500Name("C=US,O=Example,OU=Platform,CN=apim.example.com"),
            Set.of("apim.example.com", "apim.wso2.svc"), Set.of("10.0.0.1", "0:0:0:0:0:0:0:1"),
            KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
            Set.of(KeyPurposeId.id_kp_serverAuth.getId(), KeyPurposeId.id_kp_clientAuth.getId()), false);
        X509Certificate leaf = TestKeys.signerAt(T0).issue(ca, profile, TestKeys.ec256().getPublic(),
            Duration.ofDays(1)).get(0);

        assertEquals(profile, CertificateProfile.of(leaf));
        assertEquals(Signer.caProfile(new X500Name("CN=Test Root CA,O=Example")), CertificateProfile.of(ca.certificate()));
        CertificateProfile other = new CertificateProfile(profile.subject(), Set.of("apim.example.com"),
            profile.ipAddresses(), profile.keyUsage(), profile.extendedKeyUsage(), false);
        assertNotEquals(other, CertificateProfile.of(leaf));
    }

    @Test
    void theSignerUsesTheInjectedClockAndRandom() {
        Instant now = T0.plus(Duration.ofDays(2));
        Signer signer = new Signer(TestKeys.clockAt(now), TestKeys.seeded(7));
        assertEquals(now, signer.clock().instant());
        // the same seed gives the same serial: the randomness is the one passed in, not a static one
        PublicKey key = TestKeys.ec256().getPublic();
        CertificateProfile profile = TestKeys.leafProfile("x", Set.of(), Set.of());
        BigInteger a = new Signer(TestKeys.clockAt(now), TestKeys.seeded(7)).issue(ca, profile, key, Duration.ofDays(1))
            .get(0).getSerialNumber();
        BigInteger b = new Signer(TestKeys.clockAt(now), TestKeys.seeded(7)).issue(ca, profile, key, Duration.ofDays(1))
            .get(0).getSerialNumber();
        BigInteger c = new Signer(TestKeys.clockAt(now), TestKeys.seeded(8)).issue(ca, profile, key, Duration.ofDays(1))
            .get(0).getSerialNumber();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
