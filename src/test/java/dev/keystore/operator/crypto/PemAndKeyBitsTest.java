package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lenient forms inspect needs: PEM text that may hold no certificate or no key, any key's size. */
class PemAndKeyBitsTest {
    @Test
    void certificatesInAndPrivateKeyInAnswerEmptyInsteadOfFailing() throws Exception {
        KeyPair keys = TestKeys.ec256();
        byte[] keyOnly = Pem.encode(keys.getPrivate()).getBytes(StandardCharsets.UTF_8);
        byte[] certOnly = Pem.encode(List.of(TestKeys.selfSigned("CN=pem"))).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), Pem.certificatesIn(keyOnly));
        assertTrue(Pem.privateKeyIn(certOnly).isEmpty());
        assertEquals(1, Pem.certificatesIn(certOnly).size());
        assertEquals(keys.getPrivate(), Pem.privateKeyIn(keyOnly).orElseThrow());
        // the strict forms keep failing as before
        assertThrows(Pem.PemException.class, () -> Pem.certificates(keyOnly));
        assertThrows(Pem.PemException.class, () -> Pem.privateKey(certOnly));
    }

    @Test
    void bitsOfKeysKeyTypeWouldRefuse() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024, TestKeys.seeded(7));
        KeyPair weak = rsa.generateKeyPair();
        assertEquals(1024, KeyType.bits(weak.getPublic()));
        assertEquals(1024, KeyType.bits(weak.getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(weak.getPublic()));
        KeyPair ec = TestKeys.ec256();
        assertEquals(256, KeyType.bits(ec.getPublic()));
        assertEquals(256, KeyType.bits(ec.getPrivate()));
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048, TestKeys.seeded(8));
        assertEquals(2048, KeyType.bits(dsa.generateKeyPair().getPublic()));
        assertEquals(0, KeyType.bits(new javax.crypto.spec.SecretKeySpec(new byte[16], "AES")));
    }
}
