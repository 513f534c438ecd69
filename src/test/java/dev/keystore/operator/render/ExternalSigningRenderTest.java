package dev.keystore.operator.render;

import static dev.keystore.operator.render.RenderCommandTest.render;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's keytool -certreq flow as two render runs with openssl as the CA in between
 * (examples/external-ca.yaml): the CSR, the signed chain read from signed/tls.crt, keytool listing
 * the chain, a wrong reply refused with nothing written, and a renewal that keeps the certificate in
 * use until the new one is signed.
 */
class ExternalSigningRenderTest {
    static final Path EXAMPLE = RenderCommandTest.PROJECT.resolve("examples/external-ca.yaml");
    static final Instant NOW = Instant.now();

    @TempDir
    Path dir;
    Path out;
    Path ca;

    @BeforeEach
    void testCa() throws Exception {
        out = dir.resolve("keystores");
        ca = Files.createDirectories(dir.resolve("ca"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.crt",
            "-subj", "/CN=Corp Root CA", "-days", "3650", "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "issuing.key", "-out", "issuing.csr",
            "-subj", "/CN=Corp Issuing CA");
        Files.writeString(ca.resolve("ca.ext"), "basicConstraints=critical,CA:true,pathlen:0\n"
            + "keyUsage=critical,keyCertSign,cRLSign\n");
        openssl("x509", "-req", "-in", "issuing.csr", "-CA", "root.crt", "-CAkey", "root.key", "-CAcreateserial",
            "-out", "issuing.crt", "-days", "1825", "-extfile", "ca.ext");
        Files.writeString(ca.resolve("leaf.ext"), "basicConstraints=CA:false\n"
            + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
            + "subjectAltName=DNS:myClient.host.com\n");
        Files.writeString(ca.resolve("wrong.ext"), "basicConstraints=CA:false\n"
            + "keyUsage=critical,digitalSignature\nsubjectAltName=DNS:myClient.host.com\n");
    }

    void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Tools.Run run = Tools.run(ca, Map.of(), command);
        assertEquals(0, run.exitCode(), run.output());
    }

    /** The CA signs a CSR (openssl x509 -req) and the reply goes to signed/tls.crt: leaf, issuing CA, root. */
    void sign(Path csr, String extfile) throws Exception {
        sign(csr, extfile, 365);
    }

    void sign(Path csr, String extfile, int days) throws Exception {
        openssl("x509", "-req", "-in", csr.toString(), "-CA", "issuing.crt", "-CAkey", "issuing.key", "-CAcreateserial",
            "-out", "leaf.crt", "-days", String.valueOf(days), "-extfile", extfile);
        Files.createDirectories(out.resolve("signed"));
        Files.writeString(out.resolve("signed/tls.crt"), Files.readString(ca.resolve("leaf.crt"))
            + Files.readString(ca.resolve("issuing.crt")) + Files.readString(ca.resolve("root.crt")));
    }

    RenderCommandTest.Run run(Instant at) {
        return render(at, "-f", EXAMPLE.toString(), "-o", out.toString());
    }

    @Test
    void twoRendersWithOpensslBetweenGiveTheFullChainAndTheRootInTheTruststore() throws Exception {
        RenderCommandTest.Run first = run(NOW);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("tls awaiting signature"), first.out());
        assertTrue(Files.exists(out.resolve("tls.csr")));
        assertFalse(Files.exists(out.resolve("clientKey.p12")), "no keystore before the signature");
        byte[] csr = Files.readAllBytes(out.resolve("tls.csr"));
        String text = Tools.run("openssl", "req", "-in", out.resolve("tls.csr").toString(), "-noout", "-verify", "-text")
            .output();
        assertTrue(text.contains("CN = myClient.host.com") && text.contains("DNS:myClient.host.com")
            && text.contains("TLS Web Client Authentication"), text);
        assertTrue(RenderCommandTest.files(out).keySet().stream().noneMatch(f -> !f.startsWith(".keystore-operator")
            && !f.equals("tls.csr")), "only the CSR beside the records: " + RenderCommandTest.files(out).keySet());
        assertTrue(new String(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));

        RenderCommandTest.Run again = run(NOW.plusSeconds(60));
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(csr, Files.readAllBytes(out.resolve("tls.csr")), "the same key and request while it waits");

        sign(out.resolve("tls.csr"), "leaf.ext");
        RenderCommandTest.Run signed = run(Instant.now().plusSeconds(5));
        assertEquals(0, signed.code(), signed.err());
        assertTrue(signed.out().contains("tls issued"), signed.out());
        assertFalse(Files.exists(out.resolve("tls.csr")), "nothing waits any more");
        String password = RenderCommandTest.password(out);
        Tools.Run list = Tools.run("keytool", "-list", "-v", "-keystore", out.resolve("clientKey.p12").toString(),
            "-storepass", password);
        assertEquals(0, list.exitCode(), list.output());
        assertTrue(list.output().contains("Alias name: clientcert") && list.output().contains("Certificate chain length: 3"),
            list.output());
        assertTrue(list.output().contains("Issuer: CN=Corp Issuing CA") && list.output().contains("Owner: CN=Corp Root CA"),
            list.output());
        Tools.Run trust = Tools.run("keytool", "-list", "-v", "-keystore", out.resolve("clientTrust.p12").toString(),
            "-storepass", password);
        assertTrue(trust.output().contains("Your keystore contains 1 entry") && trust.output().contains("Owner: CN=Corp Root CA")
            && trust.output().contains("trustedCertEntry"), trust.output());
        assertEquals(0, Tools.opensslPkcs12Info(out.resolve("clientKey.p12"), password).exitCode());
    }

    @Test
    void aReplyForAnotherKeyOrWithoutTheRequestedUsageIsRefusedAndNothingIsWritten() throws Exception {
        assertEquals(0, run(NOW).code());
        Files.copy(out.resolve("tls.csr"), ca.resolve("first.csr"));
        // another key's CSR, signed properly: not the key that waits
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key", "-out", "stranger.csr",
            "-subj", "/C=US/O=IBM/CN=myClient.host.com");
        sign(ca.resolve("stranger.csr"), "leaf.ext");
        Map<String, byte[]> before = RenderCommandTest.files(out);
        RenderCommandTest.Run refused = run(NOW.plusSeconds(60));
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("Secret zosconnect-signed key tls.crt holds a certificate for another key than the "
            + "CSR in Secret zosconnect-client-csr key tls.csr"), refused.err());
        assertEquals(before.keySet(), RenderCommandTest.files(out).keySet());

        sign(ca.resolve("first.csr"), "wrong.ext");
        RenderCommandTest.Run narrow = run(NOW.plusSeconds(120));
        assertEquals(1, narrow.code(), narrow.out());
        assertTrue(narrow.err().contains("lacks requested"), narrow.err());
        assertFalse(Files.exists(out.resolve("clientKey.p12")));
        assertArrayEquals(before.get("tls.csr"), Files.readAllBytes(out.resolve("tls.csr")), "the request stays");
    }

    @Test
    void renewalWritesANewCsrAndKeepsTheCertificateInUseUntilTheNewOneIsSigned() throws Exception {
        assertEquals(0, run(NOW).code());
        sign(out.resolve("tls.csr"), "leaf.ext");
        // openssl signs from the moment it runs: render after that
        Instant signed = Instant.now().plusSeconds(5);
        assertEquals(0, run(signed).code());
        byte[] store = Files.readAllBytes(out.resolve("clientKey.p12"));
        byte[] tlsCrt = Files.readAllBytes(out.resolve("tls.crt"));
        byte[] tlsKey = Files.readAllBytes(out.resolve("tls.key"));

        // past renewalTime (a third of a year before notAfter): a new key's CSR, the old certificate stays
        Instant due = signed.plus(Duration.ofDays(250));
        RenderCommandTest.Run renewal = run(due);
        assertEquals(0, renewal.code(), renewal.err());
        assertTrue(renewal.out().contains("tls awaiting signature"), renewal.out());
        assertArrayEquals(store, Files.readAllBytes(out.resolve("clientKey.p12")), "the certificate in use stays");
        Path csr = out.resolve("tls.csr");
        Tools.Run pub = Tools.run("openssl", "req", "-in", csr.toString(), "-noout", "-pubkey");
        Tools.Run oldPub = Tools.run("openssl", "pkey", "-in", out.resolve("tls.key").toString(), "-pubout");
        assertNotEquals(oldPub.output(), pub.output(), "rotationPolicy Always: the renewal's CSR has a new key");

        // signed/tls.crt still holds the certificate in use: that is not a reply, nothing changes
        RenderCommandTest.Run stale = run(due.plusSeconds(60));
        assertEquals(0, stale.code(), stale.err());
        assertArrayEquals(tlsCrt, Files.readAllBytes(out.resolve("tls.crt")));

        // openssl signs from today for two years: valid, and not yet due, on the day the renewal runs
        sign(csr, "leaf.ext", 730);
        RenderCommandTest.Run swapped = run(due.plusSeconds(120));
        assertEquals(0, swapped.code(), swapped.err() + swapped.out());
        assertTrue(swapped.out().contains("tls rotated"), swapped.out());
        assertFalse(java.util.Arrays.equals(tlsKey, Files.readAllBytes(out.resolve("tls.key"))), "the new key is in use");
        assertFalse(Files.exists(csr));
    }
}
