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
    void ofRefusesKeysOfOtherSizesAndAlgorithms() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp521r1"));
        var p521 = ec.generateKeyPair().getPublic();
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(p521));

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        var rsa1024 = rsa.generateKeyPair().getPublic();
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(rsa1024));

        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);
        var dsaKey = dsa.generateKeyPair().getPublic();
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(dsaKey));
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
