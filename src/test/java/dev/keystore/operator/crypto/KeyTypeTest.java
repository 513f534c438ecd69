package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTypeTest {

    @ParameterizedTest
    @ValueSource(ints = {2048, 3072, 4096}) // 4096 is slow to generate: only here, once
    void generatesRsaKeysOfEachAllowedSize(int size) {
        KeyType type = KeyType.rsa(size);
        KeyPair pair = type.generate(TestKeys.nextSeeded());

        assertEquals("RSA", pair.getPublic().getAlgorithm());
        RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
        assertEquals(size, pub.getModulus().bitLength());
        assertEquals(pub.getModulus(), ((RSAPrivateCrtKey) pair.getPrivate()).getModulus());
        assertEquals(type, KeyType.of(pair.getPublic()));
        assertEquals("RSA " + size, type.describe());
        assertTrue(KeyMatch.matches(pair.getPrivate(), pair.getPublic()));
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 384})
    void generatesEcKeysOnTheNamedCurve(int size) {
        KeyType type = KeyType.ec(size);
        KeyPair pair = type.generate(TestKeys.nextSeeded());

        assertEquals("EC", pair.getPublic().getAlgorithm());
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        assertEquals(size, pub.getParams().getCurve().getField().getFieldSize());
        assertEquals(size, pub.getParams().getOrder().bitLength());
        assertEquals(pub.getParams().getOrder(), ((ECPrivateKey) pair.getPrivate()).getParams().getOrder());
        assertEquals(type, KeyType.of(pair.getPublic()));
        assertEquals("EC P-" + size, type.describe());
        assertEquals(size == 256 ? "secp256r1" : "secp384r1", type.curveName());
        assertTrue(KeyMatch.matches(pair.getPrivate(), pair.getPublic()));
    }

    @Test
    void ofReadsKeysMadeElsewhere() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(3072);
        assertEquals(KeyType.rsa(3072), KeyType.of(rsa.generateKeyPair().getPublic()));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        assertEquals(KeyType.ec(384), KeyType.of(ec.generateKeyPair().getPublic()));
    }

    @Test
    void ofRefusesKeysOfOtherSizesAndAlgorithmsNamingWhatItFound() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        var rsa1024 = rsa.generateKeyPair().getPublic();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyType.of(rsa1024));
        assertTrue(e.getMessage().contains("RSA 1024") && e.getMessage().contains(KeyType.ACCEPTED), e.getMessage());
        assertTrue(KeyType.supported(rsa1024).isEmpty());

        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);
        var dsaKey = dsa.generateKeyPair().getPublic();
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(dsaKey));
        assertEquals("DSA 2048", KeyType.found(dsaKey));

        // a 256-bit curve that is not P-256 is not P-256
        var k1 = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256k1");
        var spec = new java.security.spec.ECParameterSpec(
            org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertCurve(k1.getCurve(), k1.getSeed()),
            org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertPoint(k1.getG()), k1.getN(), k1.getH().intValue());
        KeyPairGenerator bc = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        bc.initialize(spec);
        var secp256k1 = bc.generateKeyPair().getPublic();
        assertTrue(KeyType.supported(secp256k1).isEmpty());
        assertTrue(KeyType.found(secp256k1).contains("curve other than P-256"), KeyType.found(secp256k1));

        KeyPairGenerator ed448 = KeyPairGenerator.getInstance("Ed448");
        var ed448Key = ed448.generateKeyPair().getPublic();
        assertTrue(KeyType.supported(ed448Key).isEmpty());
        assertEquals("Ed448", KeyType.found(ed448Key));
    }

    @Test
    void keysBroughtInMayAlsoBeP521Rsa8192OrEd25519() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp521r1"));
        var p521 = ec.generateKeyPair().getPublic();
        assertEquals(new KeyType("EC", 521), KeyType.of(p521));
        assertEquals("EC P-521", KeyType.of(p521).describe());
        assertEquals("SHA512withECDSA", KeyType.of(p521).signatureAlgorithm());

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(8192);
        var rsa8192 = rsa.generateKeyPair().getPublic();
        assertEquals(new KeyType("RSA", 8192), KeyType.of(rsa8192));
        assertEquals("SHA512withRSA", KeyType.of(rsa8192).signatureAlgorithm());

        var ed = KeyType.ed25519().generate(TestKeys.nextSeeded());
        assertEquals(KeyType.ed25519(), KeyType.of(ed.getPublic()));
        assertEquals("Ed25519", KeyType.ed25519().describe());
        assertTrue(KeyMatch.matches(ed.getPrivate(), ed.getPublic()));
        assertFalse(KeyMatch.matches(ed.getPrivate(), KeyType.ed25519().generate(TestKeys.nextSeeded()).getPublic()));

        // what the operator generates stays as it was
        assertThrows(IllegalArgumentException.class, () -> KeyType.rsa(8192));
        assertThrows(IllegalArgumentException.class, () -> KeyType.ec(521));
        assertThrows(IllegalArgumentException.class, () -> new KeyType("RSA", 1024));
        assertThrows(IllegalArgumentException.class, () -> new KeyType("RSA", 8193));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 512, 1024, 2047, 2049, 8192, 256, 384})
    void rejectsRsaSizesOutsideTheAllowedSet(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyType.rsa(size));
        assertTrue(e.getMessage().contains(String.valueOf(size)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 192, 224, 255, 521, 2048})
    void rejectsEcSizesOutsideTheAllowedSet(int size) {
        assertThrows(IllegalArgumentException.class, () -> KeyType.ec(size));
    }

    @Test
    void rejectsOtherAlgorithms() {
        assertThrows(IllegalArgumentException.class, () -> new KeyType("DSA", 2048));
        assertThrows(IllegalArgumentException.class, () -> new KeyType("rsa", 2048));
        assertThrows(IllegalArgumentException.class, () -> new KeyType(null, 2048));
    }

    @Test
    void signatureAlgorithmGrowsWithTheKey() {
        assertEquals("SHA256withRSA", KeyType.rsa(2048).signatureAlgorithm());
        assertEquals("SHA384withRSA", KeyType.rsa(3072).signatureAlgorithm());
        assertEquals("SHA384withRSA", KeyType.rsa(4096).signatureAlgorithm());
        assertEquals("SHA256withECDSA", KeyType.ec(256).signatureAlgorithm());
        assertEquals("SHA384withECDSA", KeyType.ec(384).signatureAlgorithm());
    }

    @Test
    void generationUsesTheInjectedRandom() {
        KeyPair a = KeyType.rsa(2048).generate(TestKeys.seeded(42));
        KeyPair b = KeyType.rsa(2048).generate(TestKeys.seeded(42));
        KeyPair c = KeyType.rsa(2048).generate(TestKeys.seeded(43));
        assertArrayEquals(a.getPrivate().getEncoded(), b.getPrivate().getEncoded());
        assertFalse(Arrays.equals(a.getPrivate().getEncoded(), c.getPrivate().getEncoded()));

        KeyPair e1 = KeyType.ec(256).generate(TestKeys.seeded(42));
        KeyPair e2 = KeyType.ec(256).generate(TestKeys.seeded(42));
        KeyPair e3 = KeyType.ec(256).generate(TestKeys.seeded(43));
        assertEquals(((ECPrivateKey) e1.getPrivate()).getS(), ((ECPrivateKey) e2.getPrivate()).getS());
        assertFalse(((ECPrivateKey) e1.getPrivate()).getS().equals(((ECPrivateKey) e3.getPrivate()).getS()));
    }
}
