package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {

    @Test
    void isTheSha256OfTheDerAsUpperCaseHexPairsSeparatedByColons() throws Exception {
        X509Certificate cert = TestKeys.selfSigned("CN=fingerprint");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        StringBuilder expected = new StringBuilder();
        for (byte b : digest) {
            if (expected.length() > 0) {
                expected.append(':');
            }
            expected.append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }

        String fingerprint = Fingerprints.sha256(cert);
        assertEquals(expected.toString(), fingerprint);
        assertTrue(fingerprint.matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"), fingerprint);
        assertEquals(95, fingerprint.length());
    }

    @Test
    void differsBetweenCertificatesAndIsStable() {
        X509Certificate a = TestKeys.selfSigned("CN=a");
        X509Certificate b = TestKeys.selfSigned("CN=a");
        assertEquals(Fingerprints.sha256(a), Fingerprints.sha256(a));
        assertNotEquals(Fingerprints.sha256(a), Fingerprints.sha256(b));
    }

    @Test
    void matchesWhatKeytoolPrints(@TempDir Path dir) throws Exception {
        X509Certificate cert = TestKeys.selfSigned("CN=keytool");
        Path file = dir.resolve("cert.pem");
        Files.writeString(file, Pem.encode(List.of(cert)));

        Tools.Run run = Tools.run("keytool", "-printcert", "-file", file.toString());
        assertEquals(0, run.exitCode(), run.output());
        Matcher m = Pattern.compile("SHA256: ([0-9A-F:]+)").matcher(run.output());
        assertTrue(m.find(), "keytool printed no SHA256 fingerprint: " + run.output());
        assertEquals(m.group(1), Fingerprints.sha256(cert));
    }
}
