package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyMatchTest {
    static KeyPair rsaA;
    static KeyPair rsaB;
    static KeyPair ecA;
    static KeyPair ecB;
    static KeyPair ec384;

    @BeforeAll
    static void keys() {
        rsaA = TestKeys.rsa2048();
        rsaB = TestKeys.rsa2048();
        ecA = TestKeys.ec256();
        ecB = TestKeys.ec256();
        ec384 = KeyType.ec(384).generate(TestKeys.nextSeeded());
    }

    @Test
    void rsaKeyMatchesItsOwnPublicKeyOnly() {
        assertTrue(KeyMatch.matches(rsaA.getPrivate(), rsaA.getPublic()));
        assertTrue(KeyMatch.matches(rsaB.getPrivate(), rsaB.getPublic()));
        assertFalse(KeyMatch.matches(rsaA.getPrivate(), rsaB.getPublic()));
        assertFalse(KeyMatch.matches(rsaB.getPrivate(), rsaA.getPublic()));
    }

    @Test
    void ecKeyMatchesItsOwnPublicKeyOnly() {
        assertTrue(KeyMatch.matches(ecA.getPrivate(), ecA.getPublic()));
        assertFalse(KeyMatch.matches(ecA.getPrivate(), ecB.getPublic()));
        assertFalse(KeyMatch.matches(ecA.getPrivate(), ec384.getPublic()));
        assertTrue(KeyMatch.matches(ec384.getPrivate(), ec384.getPublic()));
    }

    @Test
    void differentAlgorithmsNeverMatch() {
        assertFalse(KeyMatch.matches(rsaA.getPrivate(), ecA.getPublic()));
        assertFalse(KeyMatch.matches(ecA.getPrivate(), rsaA.getPublic()));
    }

    @Test
    void rsaKeysWithoutCrtParametersAreCheckedBySignature() throws Exception {
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) rsaA.getPrivate();
        PrivateKey plain = KeyFactory.getInstance("RSA")
            .generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));
        assertFalse(plain instanceof RSAPrivateCrtKey, "the test needs a non-CRT key");
        assertTrue(KeyMatch.matches(plain, rsaA.getPublic()));
        assertFalse(KeyMatch.matches(plain, rsaB.getPublic()));
    }

    @Test
    void keysReadFromPemStillMatch() throws Exception {
        PrivateKey rsa = Pem.privateKey(Pem.encode(rsaA.getPrivate()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        PrivateKey ec = Pem.privateKey(Pem.encode(ecA.getPrivate()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(KeyMatch.matches(rsa, rsaA.getPublic()));
        assertTrue(KeyMatch.matches(ec, ecA.getPublic()));
        assertFalse(KeyMatch.matches(ec, ecB.getPublic()));
    }
}
