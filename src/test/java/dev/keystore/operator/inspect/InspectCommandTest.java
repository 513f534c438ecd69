package dev.keystore.operator.inspect;

import static dev.keystore.operator.inspect.Specimens.INTERMEDIATE;
import static dev.keystore.operator.inspect.Specimens.KEY_PASSWORD;
import static dev.keystore.operator.inspect.Specimens.NOW;
import static dev.keystore.operator.inspect.Specimens.PASSWORD;
import static dev.keystore.operator.inspect.Specimens.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store per defect the issue lists, made in the test (keytool and OpenSSL as processes where
 * the product would never write such a file), inspected in process with a fixed clock. Each case
 * checks its exit code and findings and compares the whole text output with a golden file in
 * src/test/resources/inspect/ (regenerate: {@code mvn test -Dinspect.golden.update=true
 * -Dtest='dev.keystore.operator.inspect.*Test'}).
 */
class InspectCommandTest {
    @TempDir
    Path dir;

    @AfterAll
    static void noOutputHeldKeyMaterialOrAPassword() {
        Cli.assertNoSecrets(Cli.RUNS, List.of(PASSWORD, KEY_PASSWORD), Specimens.KEYS);
    }

    // --- stores ---------------------------------------------------------------------------------

    Path keystore(String name, StoreType type, Specimens.Issued leaf, List<X509Certificate> chain) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, KeystoreCodec.write(type, StoreContent.of(new StoreEntry.KeyEntry(alias(name), leaf.key(), chain)),
            PASSWORD.toCharArray()));
        return file;
    }

    Path truststore(String name, StoreType type, X509Certificate... certificates) throws Exception {
        List<StoreEntry> entries = new ArrayList<>();
        for (X509Certificate c : certificates) {
            entries.add(new StoreEntry.TrustedEntry(c.getSubjectX500Principal().getName().replaceAll("^CN=|,.*$", "")
                .toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), c));
        }
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, KeystoreCodec.write(type, new StoreContent(entries), PASSWORD.toCharArray()));
        return file;
    }

    static String alias(String fileName) {
        String base = Path.of(fileName).getFileName().toString();
        return base.substring(0, base.indexOf('.')).replace('_', '-');
    }

    Path passwordFile(Path besides) throws Exception {
        return Files.writeString(besides.resolveSibling("password"), PASSWORD);
    }

    // --- running --------------------------------------------------------------------------------

    /** Text output against the golden file; JSON findings as "SEVERITY check [alias]". */
    List<String> inspectCase(String golden, int expectedExit, String... args) throws Exception {
        Cli.Run text = Cli.inspect(args);
        assertEquals(expectedExit, text.code(), text.all());
        Cli.assertGolden(golden + ".txt", Cli.normalised(text.out() + text.err(), dir));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        Cli.Run json = Cli.inspect(all.toArray(String[]::new));
        assertEquals(expectedExit, json.code());
        return findings(json.out());
    }

    static List<String> findings(String json) throws Exception {
        List<String> found = new ArrayList<>();
        for (JsonNode store : new ObjectMapper().readTree(json).get("stores")) {
            for (JsonNode f : store.get("findings")) {
                found.add(f.get("severity").asText() + " " + f.get("check").asText()
                    + (f.get("alias").isNull() ? "" : " [" + f.get("alias").asText() + "]"));
            }
        }
        return found;
    }

    // --- the defects ------------------------------------------------------------------------------

    @Test
    void aGoodStoreHasNoFindingAndExitsZero() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("good.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("good.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of(), inspectCase("clean", 0, store.toString()));
        Cli.Run run = Cli.inspect(store.toString());
        assertTrue(run.out().contains("3, complete"), run.out());
        assertTrue(run.out().contains("DNS:good.example.com"), run.out());
        assertTrue(run.out().contains("digitalSignature,keyEncipherment,dataEncipherment (critical)"), run.out());
        assertTrue(run.out().contains("serverAuth,clientAuth"), run.out());
        assertTrue(run.out().contains("RSA 2048"), run.out());
    }

    @Test
    void anExpiredCertificateIsAnError() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("expired.example.com")
            .valid(Specimens.T0, NOW.minus(Duration.ofDays(5))).issuedBy(INTERMEDIATE);
        Path store = keystore("expired.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("ERROR expired [expired]"), inspectCase("expired", 1, store.toString()));
    }

    @Test
    void aCertificateExpiringWithin30DaysIsAWarning() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("expiring.example.com")
            .valid(Specimens.T0, NOW.plus(Duration.ofDays(10))).issuedBy(INTERMEDIATE);
        Path store = keystore("expiring.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("WARNING expiring [expiring]"), inspectCase("expiring", 0, store.toString()));
        // one day after 30 days: no finding
        Specimens.Issued later = Specimens.leaf("expiring.example.com")
            .valid(Specimens.T0, NOW.plus(Duration.ofDays(31))).issuedBy(INTERMEDIATE);
        keystore("expiring.p12", StoreType.PKCS12, later, Specimens.chain(later));
        assertEquals(0, Cli.inspect(store.toString()).code());
        assertFalse(Cli.inspect(store.toString()).out().contains("expires on"));
    }

    @Test
    void aMissingIntermediateIsAnIncompleteChain() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("partial.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("partial.jks", StoreType.JKS, leaf, List.of(leaf.certificate(), ROOT.certificate()));
        passwordFile(store);
        List<String> findings = inspectCase("chain-incomplete", 1, store.toString());
        assertEquals(List.of("ERROR chain-incomplete [partial]"), findings);
        assertTrue(Cli.inspect(store.toString()).out().contains("the issuer \"CN=Inspect Intermediate CA, O=Example\" "
            + "of \"CN=partial.example.com, O=Example\" is missing"));
    }

    @Test
    void aChainOutOfOrderIsAnError() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("shuffled.example.com").issuedBy(INTERMEDIATE);
        // JKS keeps the order it is given (PKCS12 readers rebuild it), so the mistake survives the file
        Path store = keystore("shuffled.jks", StoreType.JKS, leaf,
            List.of(leaf.certificate(), ROOT.certificate(), INTERMEDIATE.certificate()));
        passwordFile(store);
        assertEquals(List.of("ERROR chain-out-of-order [shuffled]"), inspectCase("chain-out-of-order", 1, store.toString()));
        // keytool lists the same chain without a word about its order
        Tools.Run keytool = Tools.keytoolList(store, "JKS", PASSWORD);
        assertEquals(0, keytool.exitCode(), keytool.output());
        assertTrue(keytool.output().contains("Certificate chain length: 3"));
    }

    @Test
    void aChainWithoutItsRootIsAWarningAndVerifiesThroughTheTruststoreBesideIt() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("noroot.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("noroot/tls.jks", StoreType.JKS, leaf, List.of(leaf.certificate(), INTERMEDIATE.certificate()));
        truststore("noroot/truststore.jks", StoreType.JKS, ROOT.certificate());
        passwordFile(store);
        assertEquals(List.of("WARNING chain-without-root [tls]"),
            inspectCase("chain-without-root", 0, dir.resolve("noroot").toString()));
        assertTrue(Cli.inspect(dir.resolve("noroot").toString()).out()
            .contains("2, no root, trusted by truststore.jks [inspect-root-ca]"));
        Cli.assertGolden("chain-without-root.json",
            Cli.normalised(Cli.inspect(dir.resolve("noroot").toString(), "-o", "json").out(), dir));
        // alone, nothing says where the chain ends: the issuer is missing
        Cli.Run alone = Cli.inspect(store.toString());
        assertEquals(1, alone.code());
        assertTrue(alone.out().contains("the chain is incomplete"), alone.out());
        // with the root given as --truststore it is trusted again
        Path rootPem = Files.writeString(dir.resolve("root.pem"), Pem.encode(List.of(ROOT.certificate())));
        Cli.Run withTrust = Cli.inspect(store.toString(), "--truststore", rootPem.toString());
        assertEquals(0, withTrust.code(), withTrust.all());
        assertTrue(withTrust.out().contains("trusted by " + rootPem + " [#1]"), withTrust.out());
    }

    @Test
    void aDerCertificateAsKeytoolExportsItServesAsTruststore() throws Exception {
        Path trust = truststore("trust.p12", StoreType.PKCS12, ROOT.certificate());
        Path cer = dir.resolve("root.cer");
        Tools.Run export = Tools.run(null, Map.of("SP", PASSWORD), "keytool", "-exportcert", "-keystore", trust.toString(),
            "-storepass:env", "SP", "-alias", "inspect-root-ca", "-file", cer.toString());
        assertEquals(0, export.exitCode(), export.output());
        Specimens.Issued leaf = Specimens.leaf("der.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("der/tls.p12", StoreType.PKCS12, leaf, List.of(leaf.certificate(), INTERMEDIATE.certificate()));
        passwordFile(store);
        Cli.Run run = Cli.inspect(store.toString(), "--truststore", cer.toString(), "-o", "json");
        assertEquals(0, run.code(), run.all());
        assertEquals(List.of("WARNING chain-without-root [tls]"), findings(run.out()));
        assertTrue(run.out().contains("\"chainTrustedBy\" : \"" + cer + " [#1]\""), run.out());
        Cli.Run alone = Cli.inspect(cer.toString(), "-o", "json");
        assertEquals(0, alone.code(), alone.all());
        assertTrue(alone.out().contains("\"format\" : \"DER\""), alone.out());
        assertTrue(alone.out().contains("\"entryType\" : \"trustedCertEntry\""), alone.out());
    }

    @Test
    void aKeyPasswordOtherThanTheStorePasswordIsAnErrorNamingWso2() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("apim.example.com").issuedBy(INTERMEDIATE);
        Path source = keystore("source.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        Path store = dir.resolve("wso2carbon.jks");
        // what `keytool -importkeystore ... -destkeypass` makes: a JKS whose key has its own password
        Tools.Run keytool = Tools.run(null, Map.of("SP", PASSWORD, "KP", KEY_PASSWORD), "keytool", "-importkeystore",
            "-noprompt", "-srckeystore", source.toString(), "-srcstoretype", "PKCS12", "-srcstorepass:env", "SP",
            "-srcalias", "source", "-destkeystore", store.toString(), "-deststoretype", "JKS", "-deststorepass:env", "SP",
            "-destalias", "wso2carbon", "-destkeypass:env", "KP");
        assertEquals(0, keytool.exitCode(), keytool.output());
        Files.delete(source);
        passwordFile(store);
        assertEquals(List.of("ERROR key-password [wso2carbon]"),
            inspectCase("key-password-wso2", 1, store.toString(), "--profile", "wso2"));
        assertTrue(Cli.inspect(store.toString(), "--profile", "wso2").out().contains("WSO2 needs them equal"));
        // the certificates are still shown: only the key stays closed
        assertTrue(Cli.inspect(store.toString()).out().contains("CN=apim.example.com"));
    }

    @Test
    void aPrimaryCertificateWithoutDataEnciphermentFailsWso2Only() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("primary.example.com")
            .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, true).issuedBy(INTERMEDIATE);
        Path store = keystore("primary/wso2carbon.jks", StoreType.JKS, leaf, Specimens.chain(leaf));
        keystore("primary/tls_keystore.jks", StoreType.JKS, leaf, Specimens.chain(leaf));
        passwordFile(store);
        List<String> findings = inspectCase("data-encipherment-wso2", 1, store.toString(), "--profile", "wso2");
        assertEquals(List.of("ERROR data-encipherment [wso2carbon]"), findings);
        assertTrue(Cli.inspect(store.toString(), "--profile", "wso2").out().contains("Wrong key usage"));
        // the tls keystore needs no dataEncipherment, and without the wso2 profile the rule is off
        assertEquals(0, Cli.inspect(dir.resolve("primary").toString(), "--profile", "wso2").out().lines()
            .filter(l -> l.contains("tls_keystore.jks [") && l.contains("ERROR")).count());
        assertEquals(0, Cli.inspect(store.toString()).code());
        // a keyUsage that is not critical does not stop the cipher tool
        Specimens.Issued lenient = Specimens.leaf("primary.example.com")
            .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, false).issuedBy(INTERMEDIATE);
        keystore("primary/wso2carbon.jks", StoreType.JKS, lenient, Specimens.chain(lenient));
        assertEquals(0, Cli.inspect(store.toString(), "--profile", "wso2").code());
    }

    @Test
    void aZoweCertificateNeedsServerAndClientAuth() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("zowe.example.com").extendedKeyUsage(Specimens.SERVER_AUTH)
            .issuedBy(INTERMEDIATE);
        Path store = keystore("localhost.keystore.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("ERROR extended-key-usage [localhost]"),
            inspectCase("server-only-zowe", 1, store.toString(), "--profile", "zowe"));
        assertTrue(Cli.inspect(store.toString(), "--profile", "zowe").out().contains("lacks clientAuth"));
        // elsewhere a server-only certificate is worth a note, not an error
        assertEquals(List.of("INFO extended-key-usage [localhost]"), inspectCase("server-only", 0, store.toString()));
    }

    @Test
    void aTlsCertificateWithoutSubjectAltNameIsAWarning() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("nosan.example.com").dns().issuedBy(INTERMEDIATE);
        Path store = keystore("tls.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("WARNING no-subject-alt-name [tls]"), inspectCase("no-san", 0, store.toString()));
    }

    @Test
    void anRsa1024KeyIsAnError() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("weak.example.com").keys(Specimens.rsa(1024, 1024)).issuedBy(INTERMEDIATE);
        Path store = keystore("weak/tls.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("ERROR weak-key [tls]"), inspectCase("weak-key", 1, store.toString()));
    }

    @Test
    void aSha1SignatureIsAnError() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("sha1.example.com").signature("SHA1withECDSA").issuedBy(INTERMEDIATE);
        Path store = keystore("sha1/tls.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("ERROR weak-signature [tls]"), inspectCase("sha1-signature", 1, store.toString()));
    }

    @Test
    void aTruststoreHoldingAPrivateKeyIsAnError() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("leaky.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("client-truststore.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("ERROR private-key-in-truststore [client-truststore]"),
            inspectCase("truststore-private-key", 1, store.toString()));
    }

    @Test
    void aPemCaBundleHoldingAPrivateKeyIsAnErrorAndPemFilesAreReadAsTheOperatorWritesThem() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("pem.example.com").issuedBy(INTERMEDIATE);
        Path pem = Files.createDirectories(dir.resolve("pem"));
        Files.writeString(pem.resolve("tls.crt"), Pem.encode(List.of(leaf.certificate(), INTERMEDIATE.certificate())));
        Files.writeString(pem.resolve("tls.key"), Pem.encode(leaf.key()));
        Files.writeString(pem.resolve("ca.crt"), Pem.encode(List.of(INTERMEDIATE.certificate(), ROOT.certificate())));
        List<String> clean = inspectCase("pem-directory", 0, pem.toString());
        assertEquals(List.of("WARNING chain-without-root"), clean);
        assertTrue(Cli.inspect(pem.toString()).out().contains("trusted by ca.crt [#1]"));
        Files.writeString(pem.resolve("ca.crt"), Pem.encode(List.of(ROOT.certificate())) + Pem.encode(leaf.key()));
        Cli.Run leaky = Cli.inspect(pem.toString());
        assertEquals(1, leaky.code(), leaky.all());
        assertTrue(leaky.out().contains("ERROR    " + pem.resolve("ca.crt") + ": a truststore holds a private key"),
            leaky.out());
    }

    @Test
    void aLegacyPkcs12FromOpensslIsAWarningAndAZoweError() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("legacy.example.com").issuedBy(INTERMEDIATE);
        Path store = opensslPkcs12(leaf, "legacy.p12", "-legacy");
        passwordFile(store);
        assertEquals(1, Tools.opensslPkcs12Info(store, PASSWORD).exitCode(), "OpenSSL 3 refuses it without -legacy");
        assertEquals(List.of("WARNING legacy-pkcs12"), inspectCase("legacy-pkcs12", 0, store.toString()));
        assertEquals(List.of("ERROR legacy-pkcs12"), inspectCase("legacy-pkcs12-zowe", 1, store.toString(),
            "--profile", "zowe").stream().filter(f -> f.contains("legacy")).toList());
        assertTrue(Cli.inspect(store.toString()).out().contains("pbeWithSHA1And40BitRC2-CBC"));
        Cli.assertGolden("legacy-pkcs12-zowe.json",
            Cli.normalised(Cli.inspect(store.toString(), "--profile", "zowe", "-o", "json").out(), dir));
    }

    @Test
    void a3desPkcs12IsOnlyANoteBecauseOpenssl3StillReadsIt() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("des.example.com").issuedBy(INTERMEDIATE);
        Path store = opensslPkcs12(leaf, "des3.p12", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES",
            "-macalg", "sha1");
        passwordFile(store);
        assertEquals(0, Tools.opensslPkcs12Info(store, PASSWORD).exitCode());
        assertEquals(List.of("INFO legacy-pkcs12"), inspectCase("3des-pkcs12", 0, store.toString()));
    }

    @Test
    void aKeytoolLegacyPkcs12IsFoundToo() throws Exception {
        // Java 8's keytool wrote RC2-40 certificates and 3DES keys; Java 17 still can when asked
        Specimens.Issued leaf = Specimens.leaf("jdk8.example.com").issuedBy(INTERMEDIATE);
        Path source = keystore("jdk8-source.jks", StoreType.JKS, leaf, Specimens.chain(leaf));
        Path store = dir.resolve("jdk8.p12");
        Tools.Run keytool = Tools.run(null, Map.of("SP", PASSWORD), "keytool", "-J-Dkeystore.pkcs12.legacy",
            "-importkeystore", "-noprompt", "-srckeystore", source.toString(), "-srcstoretype", "JKS",
            "-srcstorepass:env", "SP", "-destkeystore", store.toString(), "-deststoretype", "PKCS12",
            "-deststorepass:env", "SP");
        assertEquals(0, keytool.exitCode(), keytool.output());
        passwordFile(store);
        Cli.Run run = Cli.inspect(store.toString(), "-o", "json");
        assertTrue(findings(run.out()).contains("WARNING legacy-pkcs12"), run.out());
        assertEquals(1, Tools.opensslPkcs12Info(store, PASSWORD).exitCode());
    }

    Path opensslPkcs12(Specimens.Issued leaf, String name, String... options) throws Exception {
        Path key = Files.writeString(dir.resolve(name + ".key.pem"), Pem.encode(leaf.key()));
        Path certs = Files.writeString(dir.resolve(name + ".chain.pem"), Pem.encode(Specimens.chain(leaf)));
        Path store = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("openssl", "pkcs12", "-export", "-in", certs.toString(), "-inkey",
            key.toString(), "-name", alias(name), "-out", store.toString(), "-passout", "env:SP"));
        cmd.addAll(List.of(options));
        Tools.Run run = Tools.run(null, Map.of("SP", PASSWORD), cmd.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output());
        Files.delete(key);
        Files.delete(certs);
        return store;
    }

    @Test
    void aJksNamedP12IsAnErrorAndAPkcs12NamedJksAWarning() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("types.example.com").issuedBy(INTERMEDIATE);
        Path jksAsP12 = keystore("types/tls.p12", StoreType.JKS, leaf, Specimens.chain(leaf));
        keystore("types/other_tls.jks", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(jksAsP12);
        assertEquals(List.of("WARNING store-type", "ERROR store-type"),
            inspectCase("store-type", 1, dir.resolve("types").toString()));
    }

    @Test
    void zoweWantsPkcs12AndLibertyWarnsAboutJks() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("jks.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("keystore.jks", StoreType.JKS, leaf, Specimens.chain(leaf));
        passwordFile(store);
        assertEquals(List.of("ERROR store-type"), inspectCase("jks-zowe", 1, store.toString(), "--profile", "zowe"));
        assertEquals(List.of("WARNING store-type"), inspectCase("jks-liberty", 0, store.toString(), "--profile", "liberty"));
        assertEquals(0, Cli.inspect(store.toString(), "--profile", "wso2").code());
    }

    // --- passwords, unreadable input and exit codes ------------------------------------------------

    @Test
    void aWrongPasswordIsOneLineAndExitCodeTwoWhileOtherStoresAreStillReported() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("pw.example.com").issuedBy(INTERMEDIATE);
        Path good = keystore("a/good.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        passwordFile(good);
        Path other = keystore("b/tls.jks", StoreType.JKS, leaf, Specimens.chain(leaf));
        Files.writeString(other.resolveSibling("password"), "not-the-password");
        Cli.Run run = Cli.inspect(good.toString(), other.toString());
        assertEquals(2, run.code());
        assertEquals(List.of("error: " + other + ": the store password is wrong (password from "
            + other.resolveSibling("password") + ")"), run.err().lines().toList());
        assertTrue(run.out().contains(good.toString()), "the readable store is still reported");
        assertFalse(run.out().contains(other.toString()));
        assertFalse(run.all().contains("not-the-password"));
        Cli.assertGolden("wrong-password.txt", Cli.normalised(run.out() + run.err(), dir));
    }

    @Test
    void passwordsComeFromAFileOrTheEnvironmentNeverTheCommandLine() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("pwsrc.example.com").issuedBy(INTERMEDIATE);
        Path store = keystore("tls.p12", StoreType.PKCS12, leaf, Specimens.chain(leaf));
        Cli.Run none = Cli.inspect(store.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no password"), none.err());
        Path pwFile = Files.writeString(dir.resolve("secret.txt"), PASSWORD + "\n");
        assertEquals(0, Cli.inspect(store.toString(), "--password-file", pwFile.toString()).code());
        assertEquals(0, Cli.inspect(NOW, Map.of("KS", PASSWORD), (ns, n) -> Optional.empty(), store.toString(),
            "--password-env", "KS").code());
        Cli.Run unset = Cli.inspect(store.toString(), "--password-env", "NOT_SET_ANYWHERE");
        assertEquals(2, unset.code());
        assertTrue(unset.err().contains("NOT_SET_ANYWHERE is not set"));
        Cli.Run onCommandLine = Cli.inspect(store.toString(), "--password", PASSWORD);
        assertEquals(2, onCommandLine.code());
        assertTrue(onCommandLine.err().contains("never given on the command line"), onCommandLine.err());
        // an explicit password wins over the password file beside the store
        Files.writeString(store.resolveSibling("password"), "wrong-beside");
        assertEquals(0, Cli.inspect(store.toString(), "--password-file", pwFile.toString()).code());
        assertEquals(2, Cli.inspect(store.toString()).code());
    }

    @Test
    void unreadableInputExitsWithTwo() throws Exception {
        assertEquals(2, Cli.inspect(dir.resolve("missing.jks").toString()).code());
        Path notAStore = Files.writeString(dir.resolve("notes.p12"), "hello");
        Cli.Run run = Cli.inspect(notAStore.toString());
        assertEquals(2, run.code());
        assertEquals("error: " + notAStore + ": is not a JKS, PKCS12, PEM or DER certificate file", run.err().strip());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("deployment.toml"), "[keystore]\n");
        assertTrue(Cli.inspect(empty.toString()).err().contains("holds no keystore"));
        assertEquals(2, Cli.inspect(empty.toString()).code());
    }

    @Test
    void usageErrorsExitWithTwoAndHelpWithZero() {
        assertEquals(2, Cli.inspect().code());
        assertEquals(2, Cli.inspect("x.jks", "--profile", "websphere").code());
        assertEquals(2, Cli.inspect("x.jks", "-o", "yaml").code());
        assertEquals(2, Cli.inspect("x.jks", "--bogus").code());
        assertEquals(2, Cli.inspect("x.jks", "--password-file").code());
        assertEquals(0, Cli.inspect("--help").code());
    }

    // --- Secrets ----------------------------------------------------------------------------------

    @Test
    void aSecretIsReadLikeADirectoryWithItsPasswordKey() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("secret.example.com").issuedBy(INTERMEDIATE);
        Map<String, byte[]> data = Map.of(
            "tls.p12", KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.KeyEntry("tls", leaf.key(),
                Specimens.chain(leaf))), PASSWORD.toCharArray()),
            "truststore.p12", KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.TrustedEntry("root",
                ROOT.certificate())), PASSWORD.toCharArray()),
            "password", PASSWORD.getBytes(StandardCharsets.UTF_8),
            "deployment.toml", "[keystore.tls]\n".getBytes(StandardCharsets.UTF_8));
        List<String> asked = new ArrayList<>();
        InspectCommand.SecretReader reader = (ns, name) -> {
            asked.add(ns + "/" + name);
            return name.equals("app-keystores") ? Optional.of(new InspectCommand.SecretData("apps", name, data))
                : Optional.empty();
        };
        Cli.Run run = Cli.inspect(NOW, Map.of(), reader, "--secret", "app-keystores", "-n", "apps");
        assertEquals(0, run.code(), run.all());
        assertEquals(List.of("apps/app-keystores"), asked);
        assertTrue(run.out().contains("Secret apps/app-keystores key tls.p12  (PKCS12"), run.out());
        assertTrue(run.out().contains("3, complete, trusted by truststore.p12 [root]"), run.out());
        assertFalse(run.out().contains("deployment.toml"));
        Cli.assertGolden("secret.txt", run.out());

        Cli.Run missing = Cli.inspect(NOW, Map.of(), reader, "--secret", "nope", "-n", "apps");
        assertEquals(2, missing.code());
        assertEquals("error: Secret apps/nope: does not exist", missing.err().strip());
        Cli.Run wrong = Cli.inspect(NOW, Map.of("KS", "wrong-password"), reader, "--secret", "app-keystores", "-n", "apps",
            "--password-env", "KS");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("Secret apps/app-keystores key tls.p12: the store password is wrong "
            + "(password from --password-env KS)"), wrong.err());
    }
}
