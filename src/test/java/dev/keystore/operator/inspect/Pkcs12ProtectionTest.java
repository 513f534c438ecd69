package dev.keystore.operator.inspect;

import static dev.keystore.operator.inspect.Specimens.INTERMEDIATE;
import static dev.keystore.operator.inspect.Specimens.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ASN.1 reading agrees with OpenSSL 3 itself on which files need -legacy. */
class Pkcs12ProtectionTest {
    @TempDir
    Path dir;

    static final Specimens.Issued LEAF = Specimens.leaf("p12.example.com").issuedBy(INTERMEDIATE);

    @Test
    void whatTheOperatorWritesIsModern() {
        byte[] p12 = KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.KeyEntry("tls", LEAF.key(),
            Specimens.chain(LEAF))), PASSWORD.toCharArray());
        Pkcs12Protection protection = Pkcs12Protection.of(p12).orElseThrow();
        assertEquals(List.of("PBES2 (PBKDF2 hmacWithSHA256, AES-256-CBC)"), protection.keys());
        assertEquals(List.of("PBES2 (PBKDF2 hmacWithSHA256, AES-256-CBC)"), protection.certificates());
        assertEquals("SHA-256", protection.mac());
        assertEquals(List.of(), protection.refusedByOpenssl3());
        assertFalse(protection.legacy());
        assertEquals("Modern: PBES2/AES-256, HmacSHA256 MAC", protection.profile());
        assertEquals("OpenSSL 3 without -legacy: yes, Java 8 before 8u301: no, IBM GSKit: no", protection.describeReaders());
    }

    @Test
    void jksAndTextAreNotPkcs12() {
        byte[] jks = KeystoreCodec.write(StoreType.JKS, StoreContent.of(new StoreEntry.KeyEntry("tls", LEAF.key(),
            Specimens.chain(LEAF))), PASSWORD.toCharArray());
        assertTrue(Pkcs12Protection.of(jks).isEmpty());
        assertTrue(Pkcs12Protection.of(Pem.encode(List.of(LEAF.certificate())).getBytes()).isEmpty());
        assertTrue(Pkcs12Protection.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x03}).isEmpty());
    }

    @ParameterizedTest(name = "openssl pkcs12 -export {0}")
    @CsvSource(delimiter = '|', value = {
        "-legacy                                                   | true  | true  | Legacy RC2: PBE-SHA1-RC2-40 certificates, PBE-SHA1-3DES keys, SHA-1 MAC | true",
        "-certpbe PBE-SHA1-RC2-40 -keypbe PBE-SHA1-3DES            | true  | true  | Legacy RC2: PBE-SHA1-RC2-40 certificates, PBE-SHA1-3DES keys, SHA-1 MAC | true",
        "-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1 | false | true  | Legacy: PBE-SHA1-3DES, SHA-1 MAC                                     | true",
        "-certpbe PBE-SHA1-3DES -keypbe AES-256-CBC                | false | true  | Mixed: PBE-SHA1-3DES certificates, PBES2/AES-256 keys, HmacSHA256 MAC | false",
        "-certpbe AES-256-CBC -keypbe AES-256-CBC -macalg sha256   | false | false | Modern: PBES2/AES-256, HmacSHA256 MAC                                | false",
        "-keypbe DES-CBC -certpbe AES-128-CBC                      | true  | true  | Mixed: PBES2/AES-128 certificates, PBES2/DES keys, SHA-1 MAC          | false"})
    void refusedExactlyWhenOpenssl3RefusesIt(String options, boolean refused, boolean legacy, String profile,
                                             boolean oldJava) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), Pem.encode(LEAF.key()));
        Path certs = Files.writeString(dir.resolve("chain.pem"), Pem.encode(Specimens.chain(LEAF)));
        Path store = dir.resolve("out.p12");
        List<String> cmd = new ArrayList<>(List.of("openssl", "pkcs12", "-export", "-in", certs.toString(), "-inkey",
            key.toString(), "-out", store.toString(), "-passout", "env:SP"));
        cmd.addAll(List.of(options.trim().split("\\s+")));
        Tools.Run export = Tools.run(null, Map.of("SP", PASSWORD), cmd.toArray(String[]::new));
        if (export.exitCode() != 0) {
            // RC2 and single DES live in OpenSSL's legacy provider: writing them needs -legacy as well
            cmd.add("-legacy");
            export = Tools.run(null, Map.of("SP", PASSWORD), cmd.toArray(String[]::new));
        }
        assertEquals(0, export.exitCode(), export.output());

        Pkcs12Protection protection = Pkcs12Protection.of(Files.readAllBytes(store)).orElseThrow();
        // decrypt everything (-info -noout leaves the key bags encrypted); the key goes to /dev/null, encrypted
        Tools.Run read = Tools.run(null, Map.of("SP", PASSWORD), "openssl", "pkcs12", "-in", store.toString(),
            "-passin", "env:SP", "-passout", "env:SP", "-out", "/dev/null");
        boolean opensslRefuses = read.exitCode() != 0;
        assertEquals(opensslRefuses, !protection.refusedByOpenssl3().isEmpty(), protection.describe());
        assertEquals(refused, opensslRefuses, "OpenSSL 3 itself, for " + options);
        assertEquals(legacy, protection.legacy(), protection.describe());
        assertEquals(profile, protection.profile());
        assertEquals(Map.of(Pkcs12Protection.OPENSSL_3, !opensslRefuses, Pkcs12Protection.JAVA_8, oldJava,
            Pkcs12Protection.GSKIT, oldJava), protection.readers(), "what OpenSSL 3 did decides its reader entry");
        // and Java still reads every one of them
        assertEquals(1, KeystoreCodec.list(StoreType.PKCS12, Files.readAllBytes(store), PASSWORD.toCharArray()).size());
    }
}
