package dev.keystore.operator.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.TestKeys;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AliasesTest {

    @Test
    void derivedFromTheCommonName() {
        assertEquals("example-root-ca", Aliases.forCertificate(TestKeys.selfSigned("CN=Example Root CA,O=Example"),
            new HashSet<>()));
        assertEquals("apim.example.com", Aliases.forCertificate(TestKeys.selfSigned("CN=apim.example.com"),
            new HashSet<>()));
        assertEquals("weird-cn-1", Aliases.forCertificate(TestKeys.selfSigned("CN=*Weird* CN_ #1!!"),
            new HashSet<>()));
    }

    @Test
    void punctuationCollapsesAndIsTrimmed() {
        assertEquals("weird-cn-1", Aliases.slug("  *Weird* CN_ #1!! "));
        assertEquals("a.b-c", Aliases.slug("A.B---C"));
        assertEquals("", Aliases.slug("***"));
    }

    @Test
    void withoutACommonNameTheAliasIsCert() {
        assertEquals("cert", Aliases.forCertificate(TestKeys.selfSigned("O=No Common Name,C=US"), new HashSet<>()));
        assertEquals("cert", Aliases.forCertificate(TestKeys.selfSigned("CN=***"), new HashSet<>()));
    }

    @Test
    void uniqueAgainstWhatIsTakenAndRecordsItself() {
        Set<String> taken = new HashSet<>();
        X509Certificate a = TestKeys.selfSigned("CN=Corp Root");
        X509Certificate b = TestKeys.selfSigned("CN=Corp Root");
        X509Certificate c = TestKeys.selfSigned("CN=corp root");
        assertEquals("corp-root", Aliases.forCertificate(a, taken));
        assertEquals("corp-root-2", Aliases.forCertificate(b, taken));
        assertEquals("corp-root-3", Aliases.forCertificate(c, taken));
        assertEquals(Set.of("corp-root", "corp-root-2", "corp-root-3"), taken);

        Set<String> preTaken = new HashSet<>(Set.of("corp-root", "corp-root-2"));
        assertEquals("corp-root-3", Aliases.forCertificate(a, preTaken));
    }

    @Test
    void stableForTheSameCertificatesInTheSameOrder() {
        List<X509Certificate> certs = List.of(TestKeys.selfSigned("CN=One"), TestKeys.selfSigned("CN=Two"),
            TestKeys.selfSigned("CN=One"), TestKeys.selfSigned("O=x"));
        List<String> first = aliases(certs);
        List<String> second = aliases(certs);
        assertEquals(List.of("one", "two", "one-2", "cert"), first);
        assertEquals(first, second);
        assertEquals(first.size(), new HashSet<>(first).size(), "aliases must be unique");
    }

    @Test
    void aCertificateWithManyRdnsUsesItsCn() {
        String alias = Aliases.forCertificate(
            TestKeys.selfSigned("C=US,ST=CA,L=SF,O=Example\\, Inc.,OU=Security,CN=Issuing CA 2"), new HashSet<>());
        assertEquals("issuing-ca-2", alias);
        assertTrue(alias.matches("^[a-z0-9.-]+$"));
    }

    static List<String> aliases(List<X509Certificate> certs) {
        Set<String> taken = new HashSet<>();
        return certs.stream().map(c -> Aliases.forCertificate(c, taken)).toList();
    }
}
