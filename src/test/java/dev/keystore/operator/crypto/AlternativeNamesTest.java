package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URI and e-mail SANs: which names are refused and why, and what OpenSSL reads from an issued certificate. */
class AlternativeNamesTest {
    @TempDir
    Path dir;

    @Test
    void urisWithASchemeAreAccepted() {
        for (String uri : List.of("spiffe://example.org/ns/wso2/sa/apim", "spiffe://example.org",
            "https://apim.example.com:9443/services?wsdl", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
            "https://example.com/caf%C3%A9")) {
            assertEquals(Optional.empty(), AlternativeNames.uriProblem(uri), uri);
        }
    }

    @Test
    void urisWithoutASchemeOrHostOrWithSpacesAreRefusedSayingWhy() {
        assertEquals(Optional.of("has no scheme (such as spiffe:// or https://)"), AlternativeNames.uriProblem("apim/x"));
        assertEquals(Optional.of("has no scheme (such as spiffe:// or https://)"), AlternativeNames.uriProblem("//h/x"));
        assertEquals(Optional.of("has no host after //"), AlternativeNames.uriProblem("https:///x"));
        assertEquals(Optional.of("must be ASCII without spaces (percent-encode other characters)"),
            AlternativeNames.uriProblem("https://example.com/a b"));
        assertEquals(Optional.of("must be ASCII without spaces (percent-encode other characters)"),
            AlternativeNames.uriProblem("https://example.com/café"));
        assertEquals(Optional.of("is not a URI"), AlternativeNames.uriProblem("https://example.com/<x>"));
        assertEquals(Optional.of("is empty"), AlternativeNames.uriProblem(""));
        assertEquals(Optional.of("is empty"), AlternativeNames.uriProblem(null));
        assertEquals(Optional.of("is longer than 2048 characters"),
            AlternativeNames.uriProblem("https://example.com/" + "a".repeat(2048)));
    }

    @Test
    void spiffeIdsFollowTheSpiffeIdForm() {
        for (String bad : List.of("spiffe://Example.org/x", "spiffe://example.org/a//b", "spiffe://example.org/a/",
            "spiffe://example.org/a/../b", "spiffe://example.org:8443/x", "spiffe://user@example.org/x",
            "spiffe://example.org/x?y=1", "spiffe://example.org/x#y", "spiffe:///x", "SPIFFE://example.org/x")) {
            assertTrue(AlternativeNames.uriProblem(bad).orElse("").startsWith("is not a SPIFFE ID")
                || AlternativeNames.uriProblem(bad).equals(Optional.of("has no host after //")), bad);
        }
    }

    @Test
    void emailAddressesAreAddrSpecsWithoutSpacesOrDisplayNames() {
        for (String good : List.of("ops@example.com", "first.last+alerts@mail.example.co.uk", "o'brien@example.com")) {
            assertEquals(Optional.empty(), AlternativeNames.emailProblem(good), good);
        }
        for (String bad : List.of("ops", "ops@", "@example.com", "a b@example.com", "Ops <ops@example.com>",
            "ops@@example.com", "ops@example..com", "ops@-example.com", ".ops@example.com", "ops.@example.com",
            "jörg@example.com", "ops@example.com ", "\"quoted\"@example.com", "ops@[10.0.0.1]",
            "a".repeat(65) + "@example.com")) {
            assertEquals(Optional.of("is not an e-mail address such as ops@example.com (ASCII, no spaces, no display name)"),
                AlternativeNames.emailProblem(bad), bad);
        }
        assertEquals(Optional.of("is longer than 254 characters"),
            AlternativeNames.emailProblem("a@" + (("b".repeat(60) + ".").repeat(5)) + "com"));
    }

    @Test
    void aNameInAMessageIsPrintableAndShort() {
        assertEquals("'a?b'", AlternativeNames.quoted("a\nb"));
        assertEquals(82, AlternativeNames.quoted("x".repeat(500)).length());
    }

    @Test
    void issuedUriAndEmailNamesAreWhatOpensslReadsAndTheProfileRoundTrips() throws Exception {
        Signer signer = TestKeys.signerAt(TestKeys.T0);
        CertificateAuthority ca = TestKeys.ecCa("SAN CA");
        KeyPair leafKeys = TestKeys.ec256();
        CertificateProfile profile = new CertificateProfile(new X500Name("CN=apim.example.com"),
            Set.of("apim.example.com"), Set.of("10.0.0.7"), KeyUsage.digitalSignature, Set.of(), false,
            Set.of("spiffe://example.org/ns/wso2/sa/apim", "urn:example:apim"), Set.of("ops@example.com"));
        X509Certificate leaf = signer.issue(ca, profile, leafKeys.getPublic(), Duration.ofDays(30)).get(0);

        Path pem = Files.writeString(dir.resolve("leaf.crt"), Pem.encode(List.of(leaf)));
        Tools.Run openssl = Tools.run("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", pem.toString());
        assertEquals(0, openssl.exitCode(), openssl.output());
        assertEquals("X509v3 Subject Alternative Name: \n    DNS:apim.example.com, IP Address:10.0.0.7, "
            + "URI:spiffe://example.org/ns/wso2/sa/apim, URI:urn:example:apim, email:ops@example.com\n",
            openssl.output());
        assertEquals(profile, CertificateProfile.of(leaf), "read back, the profile is the one issued: no re-issue loop");

        CertificateProfile withoutEmail = new CertificateProfile(profile.subject(), profile.dnsNames(),
            profile.ipAddresses(), profile.keyUsage(), profile.extendedKeyUsage(), false, profile.uris(), Set.of());
        assertTrue(!withoutEmail.equals(CertificateProfile.of(leaf)), "a changed e-mail list is a changed profile");
    }
}
