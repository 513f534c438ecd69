package dev.keystore.operator.inspect;

import static dev.keystore.operator.inspect.Specimens.INTERMEDIATE;
import static dev.keystore.operator.inspect.Specimens.KEY_PASSWORD;
import static dev.keystore.operator.inspect.Specimens.NOW;
import static dev.keystore.operator.inspect.Specimens.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store's role from {@code --role}, else from the product configuration beside it (WSO2
 * deployment.toml, Zowe zowe-certificates.env, Liberty server.xml), else from its file name.
 */
class StoreRoleTest {
    @TempDir
    Path dir;

    @AfterAll
    static void noOutputHeldKeyMaterialOrAPassword() {
        Cli.assertNoSecrets(Cli.RUNS, List.of(PASSWORD, KEY_PASSWORD), Specimens.KEYS);
    }

    static final Specimens.Issued NO_DATA_ENCIPHERMENT = Specimens.leaf("apim.example.com")
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, true).issuedBy(INTERMEDIATE);

    Path keystore(String name, StoreType type, Specimens.Issued leaf) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, KeystoreCodec.write(type, StoreContent.of(new StoreEntry.KeyEntry("apim", leaf.key(),
            Specimens.chain(leaf))), PASSWORD.toCharArray()));
        Files.writeString(file.resolveSibling("password"), PASSWORD);
        return file;
    }

    static JsonNode store(Cli.Run run, int i) throws Exception {
        return new ObjectMapper().readTree(run.out()).get("stores").get(i);
    }

    static List<String> findings(Cli.Run json) throws Exception {
        return InspectCommandTest.findings(json.out());
    }

    @Test
    void aWso2PrimaryNotNamedWso2carbonGetsTheDataEnciphermentFindingFromRoleOrDeploymentToml() throws Exception {
        Path store = keystore("apim/signing.jks", StoreType.JKS, NO_DATA_ENCIPHERMENT);
        // by its name alone it is some keystore: the WSO2 primary rule does not apply
        Cli.Run byName = Cli.inspect(store.toString(), "--profile", "wso2", "-o", "json");
        assertEquals(List.of(), findings(byName), byName.all());
        assertEquals("[\"keystore\"]", store(byName, 0).get("roles").toString());

        Cli.Run flagged = Cli.inspect(store.toString(), "--profile", "wso2", "--role", "primary", "-o", "json");
        assertEquals(1, flagged.code());
        assertEquals(List.of("ERROR data-encipherment [apim]"), findings(flagged));
        assertEquals("--role", store(flagged, 0).get("rolesFrom").asText());

        // WSO2's own deployment.toml beside it, with the sections a real one has around the keystores
        Files.writeString(store.resolveSibling("deployment.toml"), """
            [server]
            hostname = "apim.example.com"
            offset = 0

            [keystore.primary]
            file_name = "signing.jks"
            type = "JKS"
            password = "$env{KEYSTORE_PASSWORD}"
            alias = "apim"

            [keystore.tls]
            file_name = "repository/resources/security/listener.jks"

            [truststore]
            file_name = "client-truststore.jks"
            """);
        Cli.Run configured = Cli.inspect(store.toString(), "--profile", "wso2");
        assertEquals(1, configured.code(), configured.all());
        Cli.assertGolden("role-wso2-deployment-toml.txt", Cli.normalised(configured.out() + configured.err(), dir));
        Cli.Run json = Cli.inspect(store.toString(), "--profile", "wso2", "-o", "json");
        assertEquals(List.of("ERROR data-encipherment [apim]"), findings(json));
        // deployment.toml names a separate tls keystore: the primary does not stand in for it
        assertEquals("[\"primary\",\"internal\"]", store(json, 0).get("roles").toString());
        assertEquals(store.resolveSibling("deployment.toml").toString(), store(json, 0).get("rolesFrom").asText());

        // --role wins over the configuration
        Cli.Run tls = Cli.inspect(store.toString(), "--profile", "wso2", "--role", "tls", "-o", "json");
        assertEquals("[\"tls\"]", store(tls, 0).get("roles").toString());
        assertFalse(findings(tls).contains("ERROR data-encipherment [apim]"));
    }

    @Test
    void wso2sLayoutIsFoundFromResourcesSecurity() throws Exception {
        Path store = keystore("wso2am/repository/resources/security/signing.jks", StoreType.JKS, NO_DATA_ENCIPHERMENT);
        Path conf = Files.createDirectories(dir.resolve("wso2am/repository/conf"));
        Files.writeString(conf.resolve("deployment.toml"), "[keystore.primary]\nfile_name = \"signing.jks\"\n");
        Cli.Run json = Cli.inspect(store.toString(), "--profile", "wso2", "-o", "json");
        assertEquals(List.of("ERROR data-encipherment [apim]"), findings(json), json.all());
        assertEquals(conf.resolve("deployment.toml").toString(), store(json, 0).get("rolesFrom").asText());
    }

    @Test
    void zowesEnvFileNamesTheKeystoreAndTruststore() throws Exception {
        Specimens.Issued leaf = Specimens.leaf("zowe.example.com").extendedKeyUsage(Specimens.SERVER_AUTH)
            .issuedBy(INTERMEDIATE);
        Path keys = keystore("zowe/site-a.p12", StoreType.PKCS12, leaf);
        Path trust = dir.resolve("zowe/site-b.p12");
        Files.write(trust, KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.TrustedEntry("root",
            Specimens.ROOT.certificate())), PASSWORD.toCharArray()));
        Files.writeString(dir.resolve("zowe/zowe-certificates.env"), """
            # written by zwe init certificate
            KEYSTORE_DIRECTORY=/global/zowe/keystore
            KEYSTORE=/global/zowe/keystore/site-a.p12
            export TRUSTSTORE="/global/zowe/keystore/site-b.p12"
            KEYSTORE_TYPE=PKCS12
            """);
        Cli.Run json = Cli.inspect(dir.resolve("zowe").toString(), "--profile", "zowe", "-o", "json");
        assertEquals("[\"tls\"]", store(json, 0).get("roles").toString());
        assertEquals("[\"truststore\"]", store(json, 1).get("roles").toString());
        assertTrue(store(json, 1).get("rolesFrom").asText().endsWith("zowe-certificates.env"));
        // as the truststore, site-b.p12 is what the chain of site-a.p12 is trusted by
        assertEquals("site-b.p12 [root]", store(json, 0).get("entries").get(0).get("chainTrustedBy").asText());
        // and the TLS rules apply to site-a.p12: Zowe needs clientAuth too
        assertEquals(List.of("ERROR extended-key-usage [apim]"), findings(json));
        assertTrue(Files.exists(keys));
    }

    @Test
    void libertysServerXmlNamesTheRolesThroughItsSslElement() throws Exception {
        ProductConfig config = ProductConfig.read("server.xml", "server.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <server description="app">
                <featureManager><feature>transportSecurity-1.0</feature></featureManager>
                <keyStore id="serverKeys" location="${server.config.dir}/resources/security/one.p12" password="${env.P}"/>
                <keyStore id="corp" location="two.jks" type="JKS" password="${env.P}"/>
                <keyStore id="myTrustStore" location="three.p12" password="${env.P}"/>
                <ssl id="defaultSSLConfig" keyStoreRef="serverKeys" trustStoreRef="corp"/>
            </server>
            """.getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("one.p12", Set.of(Role.TLS), "two.jks", Set.of(Role.TRUSTSTORE), "three.p12",
            Set.of(Role.TRUSTSTORE)), config.roles());
    }

    @Test
    void aServerXmlWithADoctypeIsRefusedAndNoEntityIsRead() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("outside.txt"), "TOP-SECRET-CONTENT");
        Path store = keystore("liberty/key.p12", StoreType.PKCS12, NO_DATA_ENCIPHERMENT);
        Files.writeString(store.resolveSibling("server.xml"), """
            <?xml version="1.0"?>
            <!DOCTYPE server [<!ENTITY leak SYSTEM "file://%s">]>
            <server><keyStore id="x" location="&leak;"/></server>
            """.formatted(secretFile));
        Cli.Run run = Cli.inspect(store.toString(), "--profile", "liberty");
        assertTrue(run.err().contains("server.xml is not XML Liberty reads"), run.err());
        assertTrue(run.err().contains("roles come from file names"), run.err());
        assertFalse(run.all().contains("TOP-SECRET-CONTENT"), run.all());
        assertThrows(ProductConfig.Unreadable.class, () -> ProductConfig.read("s", "server.xml",
            Files.readAllBytes(store.resolveSibling("server.xml"))));
    }

    @Test
    void aBrokenTomlIsSaidOnStderrAndTheFileNameDecides() throws Exception {
        Path store = keystore("broken/wso2carbon.jks", StoreType.JKS, NO_DATA_ENCIPHERMENT);
        Files.writeString(store.resolveSibling("deployment.toml"), "[keystore.primary\nfile_name = \n");
        Cli.Run json = Cli.inspect(store.toString(), "--profile", "wso2", "-o", "json");
        assertTrue(json.err().contains("deployment.toml is not valid TOML"), json.err());
        assertEquals("file name", store(json, 0).get("rolesFrom").asText());
        assertEquals(List.of("ERROR data-encipherment [apim]"), findings(json), "wso2carbon.jks is primary by name");
    }

    @Test
    void aSecretsDeploymentTomlNamesTheRolesOfItsKeys() throws Exception {
        byte[] jks = KeystoreCodec.write(StoreType.JKS, StoreContent.of(new StoreEntry.KeyEntry("apim",
            NO_DATA_ENCIPHERMENT.key(), Specimens.chain(NO_DATA_ENCIPHERMENT))), PASSWORD.toCharArray());
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("signing.jks", jks);
        data.put("password", PASSWORD.getBytes(StandardCharsets.UTF_8));
        data.put("deployment.toml", "[keystore.primary]\nfile_name = \"signing.jks\"\n".getBytes(StandardCharsets.UTF_8));
        List<String> asked = new ArrayList<>();
        Cli.Run json = Cli.inspect(NOW, Map.of(), (ns, name) -> {
            asked.add(name);
            return Optional.of(new InspectCommand.SecretData("wso2", name, data));
        }, "--secret", "apim-keystores", "--profile", "wso2", "-o", "json");
        assertEquals(List.of("ERROR data-encipherment [apim]"), findings(json), json.all());
        assertEquals("Secret wso2/apim-keystores key deployment.toml", store(json, 0).get("rolesFrom").asText());
        assertEquals(List.of("apim-keystores"), asked);
    }

    @Test
    void anUnknownRoleIsACommandLineError() {
        Cli.Run run = Cli.inspect(dir.toString(), "--role", "keystore");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown role 'keystore' (primary, tls, internal or truststore)"), run.err());
    }
}
