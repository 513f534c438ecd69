package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect shows the URI and e-mail SANs the operator issues (tls.uris, tls.emailAddresses). */
class UriAndEmailSansTest {
    @TempDir
    Path dir;

    @Test
    void uriAndEmailNamesAreListedWithTheDnsNames() throws Exception {
        CertificateAuthority ca = TestKeys.ecCa("SAN CA");
        KeyPair keys = TestKeys.ec256();
        CertificateProfile profile = new CertificateProfile(new X500Name("CN=apim.example.com"), Set.of("apim.example.com"),
            Set.of(), KeyUsage.digitalSignature, Set.of(), false, Set.of("spiffe://example.org/ns/wso2/sa/apim"),
            Set.of("ops@example.com"));
        var chain = TestKeys.signerAt(Specimens.NOW).issue(ca, profile, keys.getPublic(), Duration.ofDays(90));
        Path store = dir.resolve("tls.p12");
        Files.write(store, KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.KeyEntry("tls",
            keys.getPrivate(), chain)), "changeit-sans".toCharArray()));
        Files.writeString(dir.resolve("password"), "changeit-sans");

        Cli.Run text = Cli.inspect(store.toString());
        assertTrue(text.out().contains("DNS:apim.example.com,URI:spiffe://example.org/ns/wso2/sa/apim,email:ops@example.com"),
            text.out());
        Cli.Run json = Cli.inspect(store.toString(), "-o", "json");
        assertEquals("[\"DNS:apim.example.com\",\"URI:spiffe://example.org/ns/wso2/sa/apim\",\"email:ops@example.com\"]",
            new ObjectMapper().readTree(json.out()).get("stores").get(0).get("entries").get(0)
                .get("subjectAlternativeNames").toString());
    }
}
