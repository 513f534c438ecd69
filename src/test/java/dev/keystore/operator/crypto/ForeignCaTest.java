package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CAs made by OpenSSL the way corporate CAs are: a Subject Key Identifier that is not the SHA-1 of
 * the key, pathLenConstraint 0, P-521 and Ed25519 keys. Leaves we sign with them verify with real
 * {@code openssl verify}.
 */
class ForeignCaTest {
    static final String SKI = "DE:AD:BE:EF:00:11:22:33:44:55:66:77";

    static String run(Path dir, String... args) throws Exception {
        Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return code + ":" + out;
    }

    /** A CA made by openssl req -x509 with the given key options and extensions. */
    static CertificateAuthority opensslCa(Path dir, String extensions, String... keyOptions) throws Exception {
        Files.writeString(dir.resolve("ca.cnf"), "[req]\ndistinguished_name=dn\n[dn]\n[v3]\n" + extensions);
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-new", "-nodes", "-keyout", "ca.key",
            "-out", "ca.crt", "-days", "30", "-subj", "/O=Corp/CN=Corp Issuing CA", "-config", "ca.cnf",
            "-extensions", "v3"));
        cmd.addAll(List.of(keyOptions));
        String out = run(dir, cmd.toArray(String[]::new));
        assertTrue(out.startsWith("0:"), out);
        return new CertificateAuthority(Pem.privateKey(Files.readAllBytes(dir.resolve("ca.key"))),
            Pem.certificates(Files.readAllBytes(dir.resolve("ca.crt"))));
    }

    static X509Certificate leafFrom(CertificateAuthority ca) {
        Signer signer = new Signer(Clock.systemUTC(), TestKeys.nextSeeded());
        return signer.issue(ca, TestKeys.leafProfile("web.corp.example", Set.of("web.corp.example"), Set.of()),
            TestKeys.ec256().getPublic(), Duration.ofDays(10)).get(0);
    }

    static String verify(Path dir, X509Certificate leaf) throws Exception {
        Files.writeString(dir.resolve("tls.crt"), Pem.encode(List.of(leaf)));
        return run(dir, "openssl", "verify", "-CAfile", "ca.crt", "tls.crt");
    }

    static byte[] keyId(X509Certificate c, org.bouncycastle.asn1.ASN1ObjectIdentifier id) {
        byte[] value = c.getExtensionValue(id.getId());
        byte[] octets = ASN1OctetString.getInstance(value).getOctets();
        return id.equals(Extension.subjectKeyIdentifier) ? SubjectKeyIdentifier.getInstance(octets).getKeyIdentifier()
            : AuthorityKeyIdentifier.getInstance(octets).getKeyIdentifier();
    }

    @Test
    void aLeafCarriesTheCasOwnSubjectKeyIdentifierAndOpensslVerifiesIt(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = opensslCa(dir, "basicConstraints=critical,CA:TRUE,pathlen:0\n"
            + "keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=" + SKI + "\n",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertEquals(0, ca.certificate().getBasicConstraints(), "pathLenConstraint 0");
        byte[] ski = HexFormat.ofDelimiter(":").parseHex(SKI);
        assertArrayEquals(ski, keyId(ca.certificate(), Extension.subjectKeyIdentifier));

        X509Certificate leaf = leafFrom(ca);
        assertArrayEquals(ski, keyId(leaf, Extension.authorityKeyIdentifier));
        String verified = verify(dir, leaf);
        assertTrue(verified.startsWith("0:") && verified.contains("tls.crt: OK"), verified);

        // the control: the same leaf with the AKI computed from the CA's key, as before, fails to verify
        X509Certificate mismatched = withKeyHashAki(ca, leaf);
        assertFalse(java.util.Arrays.equals(ski, keyId(mismatched, Extension.authorityKeyIdentifier)));
        assertFalse(verify(dir, mismatched).startsWith("0:"), "openssl refuses an AKI that is not the CA's SKI");
    }

    static X509Certificate withKeyHashAki(CertificateAuthority ca, X509Certificate leaf) throws Exception {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        var builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.TEN, leaf.getNotBefore(),
            leaf.getNotAfter(), leaf.getSubjectX500Principal(), leaf.getPublicKey());
        builder.addExtension(Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(false));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
            new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key())));
    }

    @Test
    void aCaWithoutSubjectKeyIdentifierGetsTheKeyHash(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = opensslCa(dir, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n"
            + "subjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-384");
        assertEquals(null, ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        X509Certificate leaf = leafFrom(ca);
        assertArrayEquals(new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate().getPublicKey())
            .getKeyIdentifier(), keyId(leaf, Extension.authorityKeyIdentifier));
        String verified = verify(dir, leaf);
        assertTrue(verified.startsWith("0:"), verified);
    }

    @Test
    void p521AndEd25519CasSignLeavesOpensslVerifies(@TempDir Path dir) throws Exception {
        String ext = "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n"
            + "subjectKeyIdentifier=hash\n";
        CertificateAuthority p521 = opensslCa(dir, ext, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521");
        assertEquals(new KeyType("EC", 521), KeyType.of(p521.certificate().getPublicKey()));
        X509Certificate fromP521 = leafFrom(p521);
        assertEquals("SHA512withECDSA", fromP521.getSigAlgName());
        String verified = verify(dir, fromP521);
        assertTrue(verified.startsWith("0:"), verified);

        CertificateAuthority ed = opensslCa(dir, ext, "-newkey", "ed25519");
        assertEquals(KeyType.ed25519(), KeyType.of(ed.certificate().getPublicKey()));
        assertTrue(KeyMatch.matches(ed.key(), ed.certificate().getPublicKey()));
        X509Certificate fromEd = leafFrom(ed);
        assertEquals("Ed25519", fromEd.getSigAlgName());
        fromEd.verify(ed.certificate().getPublicKey());
        verified = verify(dir, fromEd);
        assertTrue(verified.startsWith("0:"), verified);
    }

    @Test
    void weakOrUnsupportedCasAreRefusedWithWhatWasFound() throws Exception {
        assertTrue(SigningCa.refusal(TestKeys.ecCa("Fine").chain()).isEmpty());
        KeyPair rsa1024 = rsa(1024);
        String small = SigningCa.refusal(List.of(selfSigned(rsa1024, "SHA256withRSA"))).orElseThrow();
        assertTrue(small.contains("RSA 1024 key") && small.contains(KeyType.ACCEPTED), small);
        String sha1 = SigningCa.refusal(List.of(selfSigned(rsa(2048), "SHA1withRSA"))).orElseThrow();
        assertTrue(sha1.contains("signed with SHA1withRSA") && sha1.contains("SHA-256 or stronger"), sha1);
        // a SHA-1 self-signature on a root above the CA is not checked by anyone: accepted
        X509Certificate oldRoot = selfSigned(rsa(2048), "SHA1withRSA");
        assertTrue(SigningCa.refusal(List.of(TestKeys.ecCa("Issuing").certificate(), oldRoot)).isEmpty());
    }

    static KeyPair rsa(int bits) throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static X509Certificate selfSigned(KeyPair keys, String signatureAlgorithm) {
        return TestKeys.foreignCa(keys, signatureAlgorithm, "Legacy CA");
    }
}
