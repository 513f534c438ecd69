package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PKCS#10 request of issuer.external, read back by Bouncy Castle and by openssl. */
class CertificationRequestTest {
    static final CertificateProfile PROFILE = new CertificateProfile(new X500Name("C=US,O=IBM,CN=myClient.host.com"),
        Set.of("myClient.host.com", "client.zos.svc"), Set.of("10.0.0.7"),
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
        Set.of(KeyPurposeId.id_kp_clientAuth.getId(), KeyPurposeId.id_kp_serverAuth.getId()), false,
        Set.of("spiffe://example.org/client"), Set.of("ops@example.com"));

    @TempDir
    Path dir;

    @Test
    void opensslReadsSubjectAlternativeNamesAndUsagesAndVerifiesTheSignature() throws Exception {
        for (KeyPair keys : new KeyPair[] {TestKeys.rsa2048(), TestKeys.ec256()}) {
            Path csr = dir.resolve(keys.getPublic().getAlgorithm() + ".csr");
            Files.write(csr, CertificationRequest.create(PROFILE, keys, TestKeys.nextSeeded()));
            Tools.Run text = Tools.run("openssl", "req", "-in", csr.toString(), "-noout", "-verify", "-text");
            assertEquals(0, text.exitCode(), text.output());
            String out = text.output();
            assertTrue(out.contains("verify OK") || out.contains("Certificate request self-signature verify OK"), out);
            assertTrue(out.contains("Subject: C=US, O=IBM, CN=myClient.host.com")
                || out.contains("Subject: C = US, O = IBM, CN = myClient.host.com"), out);
            assertTrue(out.contains("X509v3 Key Usage: critical"), out);
            assertTrue(out.contains("Digital Signature, Key Encipherment"), out);
            assertTrue(out.contains("TLS Web Server Authentication, TLS Web Client Authentication"), out);
            assertTrue(out.contains("DNS:client.zos.svc, DNS:myClient.host.com, IP Address:10.0.0.7, "
                + "URI:spiffe://example.org/client, email:ops@example.com"), out);
        }
    }

    @Test
    void anUnchangedRequestKeepsItsBytesAndAChangedOneDoesNot() {
        KeyPair keys = TestKeys.ec256();
        byte[] csr = CertificationRequest.create(PROFILE, keys, TestKeys.nextSeeded());
        byte[] again = CertificationRequest.create(PROFILE, keys, TestKeys.nextSeeded());
        assertFalse(java.util.Arrays.equals(csr, again), "ECDSA signs differently each time: bytes cannot be compared");
        assertTrue(CertificationRequest.asksFor(csr, PROFILE, keys, TestKeys.nextSeeded()));
        CertificateProfile fewerNames = new CertificateProfile(PROFILE.subject(), Set.of("myClient.host.com"),
            PROFILE.ipAddresses(), PROFILE.keyUsage(), PROFILE.extendedKeyUsage(), false, PROFILE.uris(),
            PROFILE.emailAddresses());
        assertFalse(CertificationRequest.asksFor(csr, fewerNames, keys, TestKeys.nextSeeded()));
        assertFalse(CertificationRequest.asksFor(csr, PROFILE, TestKeys.ec256(), TestKeys.nextSeeded()));
        assertFalse(CertificationRequest.asksFor("not a CSR".getBytes(), PROFILE, keys, TestKeys.nextSeeded()));
    }

    @Test
    void thePublicKeyOfAPendingKeyIsDerivedFromThePrivateKey() {
        for (KeyPair keys : new KeyPair[] {TestKeys.rsa2048(), TestKeys.ec256()}) {
            KeyPair derived = PublicKeys.pairOf(keys.getPrivate());
            assertArrayEquals(keys.getPublic().getEncoded(), derived.getPublic().getEncoded());
        }
    }
}
