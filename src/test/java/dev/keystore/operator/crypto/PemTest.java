package dev.keystore.operator.crypto;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.Tools;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
    static CertificateAuthority ca;
    static List<X509Certificate> chain;

    @BeforeAll
    static void makeChain() {
        ca = TestKeys.ecCa("PEM Test CA");
        chain = TestKeys.signerAt(T0).issue(ca, TestKeys.leafProfile("leaf", Set.of("leaf.example.com"), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofDays(30));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String jcaPem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    static PublicKey publicKeyPem(Path file) throws Exception {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            return new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) parser.readObject());
        }
    }

    static void openssl(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Tools.Run run = Tools.run(dir, java.util.Map.of(), command);
        assertEquals(0, run.exitCode(), "openssl " + args[0] + " failed: " + run.output());
    }

    // ---- certificates ----

    @Test
    void certificatesRoundTripInOrder() throws Exception {
        String pem = Pem.encode(chain);
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
        assertEquals(2, pem.split("-----BEGIN CERTIFICATE-----", -1).length - 1);

        List<X509Certificate> read = Pem.certificates(utf8(pem));
        assertEquals(2, read.size());
        assertArrayEquals(chain.get(0).getEncoded(), read.get(0).getEncoded());
        assertArrayEquals(chain.get(1).getEncoded(), read.get(1).getEncoded());
    }

    @Test
    void certificatesAreFoundBetweenOtherBlocksAndText() throws Exception {
        String mixed = "Bag Attributes\n    friendlyName: leaf\n" + Pem.encode(List.of(chain.get(0)))
            + Pem.encode(TestKeys.ec256().getPrivate()) + "\n# comment\n" + Pem.encode(List.of(chain.get(1)));
        List<X509Certificate> read = Pem.certificates(utf8(mixed));
        assertEquals(chain, read);
    }

    @Test
    void encodingIsStable() {
        assertEquals(Pem.encode(chain), Pem.encode(chain));
        assertEquals(Pem.encode(ca.key()), Pem.encode(ca.key()));
    }

    // ---- private keys ----

    @Test
    void pkcs8KeysRoundTripForRsaAndEc() throws Exception {
        for (KeyPair pair : List.of(TestKeys.rsa2048(), TestKeys.ec256())) {
            String pem = Pem.encode(pair.getPrivate());
            assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 expected for " + pair.getPrivate().getAlgorithm());
            PrivateKey read = Pem.privateKey(utf8(pem));
            assertEquals(pair.getPrivate().getAlgorithm(), read.getAlgorithm());
            assertArrayEquals(pair.getPrivate().getEncoded(), read.getEncoded());
            assertTrue(KeyMatch.matches(read, pair.getPublic()));
        }
    }

    /** SEC1 (RFC 5915) "EC PRIVATE KEY" built with Bouncy Castle, with the curve and optionally the public key. */
    static String sec1(KeyPair pair, boolean withPublicKey) throws Exception {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        org.bouncycastle.asn1.ASN1Encodable curve = spki.getAlgorithm().getParameters();
        java.math.BigInteger s = ((ECPrivateKey) pair.getPrivate()).getS();
        int orderBits = ((ECPrivateKey) pair.getPrivate()).getParams().getOrder().bitLength();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = withPublicKey
            ? new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, s, spki.getPublicKeyData(), curve)
            : new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, s, curve);
        return jcaPem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    @Test
    void readsPkcs1WrittenByBouncyCastle() throws Exception {
        KeyPair rsa = TestKeys.rsa2048();
        String pkcs1 = jcaPem(rsa);
        assertTrue(pkcs1.contains("-----BEGIN RSA PRIVATE KEY-----"), "expected PKCS#1");
        PrivateKey readRsa = Pem.privateKey(utf8(pkcs1));
        assertEquals("RSA", readRsa.getAlgorithm());
        assertEquals(((RSAPrivateCrtKey) rsa.getPrivate()).getPrivateExponent(),
            ((RSAPrivateCrtKey) readRsa).getPrivateExponent());
        assertArrayEquals(rsa.getPrivate().getEncoded(), readRsa.getEncoded());
        assertTrue(KeyMatch.matches(readRsa, rsa.getPublic()));
    }

    @Test
    void readsSec1WithAndWithoutTheOptionalPublicKey() throws Exception {
        for (KeyPair ec : List.of(TestKeys.ec256(), KeyType.ec(384).generate(TestKeys.nextSeeded()))) {
            for (boolean withPublicKey : new boolean[] {true, false}) {
                String pem = sec1(ec, withPublicKey);
                assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----"), "expected SEC1");
                PrivateKey read = Pem.privateKey(utf8(pem));
                assertEquals("EC", read.getAlgorithm());
                assertEquals(((ECPrivateKey) ec.getPrivate()).getS(), ((ECPrivateKey) read).getS());
                assertTrue(KeyMatch.matches(read, ec.getPublic()), "publicKey present: " + withPublicKey);
                assertFalse(KeyMatch.matches(read, TestKeys.ec256().getPublic()));
            }
        }
    }

    @Test
    void readsSec1WithoutPublicKeyMadeByOpenssl(@TempDir Path dir) throws Exception {
        openssl(dir, "ecparam", "-genkey", "-noout", "-name", "prime256v1", "-out", "full.pem");
        openssl(dir, "ec", "-in", "full.pem", "-no_public", "-out", "nopub.pem");
        openssl(dir, "ec", "-in", "full.pem", "-pubout", "-out", "ec.pub");
        PrivateKey key = Pem.privateKey(Files.readAllBytes(dir.resolve("nopub.pem")));
        assertTrue(KeyMatch.matches(key, publicKeyPem(dir.resolve("ec.pub"))));
    }

    @Test
    void readsPkcs1KeysMadeByOpenssl(@TempDir Path dir) throws Exception {
        openssl(dir, "genrsa", "-traditional", "-out", "rsa.pem", "2048");
        openssl(dir, "rsa", "-in", "rsa.pem", "-pubout", "-out", "rsa.pub");
        byte[] pem = Files.readAllBytes(dir.resolve("rsa.pem"));
        assertTrue(new String(pem, StandardCharsets.UTF_8).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        PrivateKey key = Pem.privateKey(pem);
        assertEquals("RSA", key.getAlgorithm());
        assertTrue(KeyMatch.matches(key, publicKeyPem(dir.resolve("rsa.pub"))));
        assertFalse(KeyMatch.matches(key, TestKeys.rsa2048().getPublic()));
    }

    @Test
    void readsSec1KeysMadeByOpensslIncludingAParametersBlockFirst(@TempDir Path dir) throws Exception {
        // without -noout, openssl writes "EC PARAMETERS" before "EC PRIVATE KEY": the key must still be found
        openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "ec.pem");
        openssl(dir, "ec", "-in", "ec.pem", "-pubout", "-out", "ec.pub");
        String text = Files.readString(dir.resolve("ec.pem"));
        assertTrue(text.startsWith("-----BEGIN EC PARAMETERS-----"), text.lines().findFirst().orElse(""));
        assertTrue(text.contains("-----BEGIN EC PRIVATE KEY-----"));

        PrivateKey key = Pem.privateKey(utf8(text));
        assertEquals("EC", key.getAlgorithm());
        assertTrue(KeyMatch.matches(key, publicKeyPem(dir.resolve("ec.pub"))));

        openssl(dir, "ecparam", "-genkey", "-noout", "-name", "secp384r1", "-out", "ec384.pem");
        openssl(dir, "ec", "-in", "ec384.pem", "-pubout", "-out", "ec384.pub");
        PrivateKey key384 = Pem.privateKey(Files.readAllBytes(dir.resolve("ec384.pem")));
        PublicKey pub384 = publicKeyPem(dir.resolve("ec384.pub"));
        assertTrue(KeyMatch.matches(key384, pub384));
        assertEquals(KeyType.ec(384), KeyType.of(pub384));
    }

    @Test
    void readsTheKeyOfACertManagerStyleBundle() throws Exception {
        KeyPair pair = TestKeys.ec256();
        String bundle = Pem.encode(chain) + sec1(pair, true);
        assertTrue(KeyMatch.matches(Pem.privateKey(utf8(bundle)), pair.getPublic()));
        assertEquals(chain, Pem.certificates(utf8(bundle)));
    }

    // ---- errors ----

    @Test
    void garbageIsRefusedWithoutEchoingTheInput() {
        String secret = "s3cr3t-payload-that-must-not-leak";
        Pem.PemException certError = assertThrows(Pem.PemException.class, () -> Pem.certificates(utf8(secret)));
        Pem.PemException keyError = assertThrows(Pem.PemException.class, () -> Pem.privateKey(utf8(secret)));
        for (Pem.PemException e : List.of(certError, keyError)) {
            assertFalse(e.getMessage().contains("s3cr3t"), "message leaks input");
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    void damagedBlocksAreRefusedWithoutEchoingTheirBase64() {
        String body = "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEAq7BFUpkGp3+LQmlQ"; // truncated PKCS#8
        String key = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        Pem.PemException e = assertThrows(Pem.PemException.class, () -> Pem.privateKey(utf8(key)));
        assertFalse(e.getMessage().contains(body.substring(10, 30)), "message leaks key material");

        String notBase64 = "-----BEGIN CERTIFICATE-----\nSECRET!!notbase64@@\n-----END CERTIFICATE-----\n";
        Pem.PemException c = assertThrows(Pem.PemException.class, () -> Pem.certificates(utf8(notBase64)));
        assertFalse(c.getMessage().contains("SECRET"));

        String randomDer = "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(utf8("SECRETSECRETSECRETSECRET not DER at all"))
            + "\n-----END CERTIFICATE-----\n";
        Pem.PemException d = assertThrows(Pem.PemException.class, () -> Pem.certificates(utf8(randomDer)));
        assertFalse(d.getMessage().contains("SECRET"));
    }

    @Test
    void aKeyIsNotACertificateAndACertificateIsNotAKey() {
        String keyOnly = Pem.encode(TestKeys.ec256().getPrivate());
        Pem.PemException noCert = assertThrows(Pem.PemException.class, () -> Pem.certificates(utf8(keyOnly)));
        assertEquals("holds no PEM certificate", noCert.getMessage());
        assertFalse(noCert.getMessage().contains(keyOnly.substring(30, 60)));

        String certOnly = Pem.encode(chain);
        Pem.PemException noKey = assertThrows(Pem.PemException.class, () -> Pem.privateKey(utf8(certOnly)));
        assertTrue(noKey.getMessage().contains("no PEM private key"), noKey.getMessage());
    }

    @Test
    void emptyInputIsRefused() {
        assertThrows(Pem.PemException.class, () -> Pem.certificates(new byte[0]));
        assertThrows(Pem.PemException.class, () -> Pem.privateKey(new byte[0]));
    }

    @Test
    void anEncryptedKeyIsRefusedAsAValueNotAnException(@TempDir Path dir) throws Exception {
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
            "-pass", "pass:irrelevant-test-pass", "-out", "enc.pem");
        byte[] pem = Files.readAllBytes(dir.resolve("enc.pem"));
        assertTrue(new String(pem, StandardCharsets.UTF_8).contains("ENCRYPTED PRIVATE KEY"));
        Pem.PemException e = assertThrows(Pem.PemException.class, () -> Pem.privateKey(pem));
        assertTrue(e.getMessage().contains("encrypted private key"), e.getMessage());
        assertFalse(e.getMessage().contains("irrelevant-test-pass"));
    }
}
