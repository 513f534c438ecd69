package dev.keystore.operator.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link KeystoreCodec#list}: what keytool -list shows, with the key password question answered. */
class KeystoreListTest {
    static final char[] PASSWORD = "list-store-password".toCharArray();
    static final CertificateAuthority CA = TestKeys.ecCa("List CA");

    static List<X509Certificate> leaf(KeyPair keys) {
        return TestKeys.signerAt(TestKeys.T0).issue(CA, TestKeys.leafProfile("list.example", java.util.Set.of(),
            java.util.Set.of()), keys.getPublic(), Duration.ofDays(30));
    }

    @Test
    void everyEntrySortedWithItsChainAndWhetherTheStorePasswordOpensTheKey() throws Exception {
        KeyPair same = TestKeys.ec256();
        KeyPair other = TestKeys.ec256();
        for (StoreType type : StoreType.values()) {
            KeyStore store = KeyStore.getInstance(type.name());
            store.load(null, PASSWORD);
            store.setKeyEntry("b-same", same.getPrivate(), PASSWORD, leaf(same).toArray(Certificate[]::new));
            store.setKeyEntry("c-other", other.getPrivate(), "another-key-password".toCharArray(),
                leaf(other).toArray(Certificate[]::new));
            store.setCertificateEntry("a-ca", CA.certificate());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, PASSWORD);

            List<ListedEntry> listed = KeystoreCodec.list(type, out.toByteArray(), PASSWORD);

            assertEquals(List.of("a-ca", "b-same", "c-other"), listed.stream().map(ListedEntry::alias).toList(), type.name());
            assertEquals(ListedEntry.Kind.TRUSTED_CERTIFICATE, listed.get(0).kind());
            assertEquals(ListedEntry.Kind.PRIVATE_KEY, listed.get(1).kind());
            assertEquals(2, listed.get(1).chain().size());
            assertTrue(listed.get(1).keyOpensWithStorePassword(), type.name());
            assertFalse(listed.get(2).keyOpensWithStorePassword(), type.name());
            assertEquals(2, listed.get(2).chain().size(), "the chain is listed even when the key stays closed");
            // read() refuses the same file: it needs every key
            assertThrows(KeystoreCodec.UnreadableKeystore.class, () -> KeystoreCodec.read(type, out.toByteArray(), PASSWORD));
        }
    }

    @Test
    void aWrongStorePasswordAndGarbageAreUnreadable() {
        byte[] p12 = KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.TrustedEntry("ca", CA.certificate())),
            PASSWORD);
        assertEquals("password is wrong", assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.list(StoreType.PKCS12, p12, "wrong".toCharArray())).getMessage());
        byte[] jks = KeystoreCodec.write(StoreType.JKS, StoreContent.of(new StoreEntry.TrustedEntry("ca", CA.certificate())),
            PASSWORD);
        assertEquals("password is wrong", assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.list(StoreType.JKS, jks, "wrong".toCharArray())).getMessage());
        assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.list(StoreType.PKCS12, new byte[] {1, 2, 3}, PASSWORD));
    }

    @Test
    void aSecretKeyIsListedWithoutCertificates() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, PASSWORD);
        store.setEntry("jwt", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "HmacSHA256")),
            new KeyStore.PasswordProtection(PASSWORD));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD);
        List<ListedEntry> listed = KeystoreCodec.list(StoreType.PKCS12, out.toByteArray(), PASSWORD);
        assertEquals(1, listed.size());
        assertEquals(ListedEntry.Kind.SECRET_KEY, listed.get(0).kind());
        assertEquals(List.of(), listed.get(0).chain());
        assertTrue(listed.get(0).keyOpensWithStorePassword());
        KeyStore.getInstance("PKCS12").load(new ByteArrayInputStream(out.toByteArray()), PASSWORD);
    }
}
