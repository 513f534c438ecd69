package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.CaIssuer;
import dev.keystore.operator.api.v1alpha1.IssuerSpec;
import dev.keystore.operator.api.v1alpha1.KeyAlgorithm;
import dev.keystore.operator.api.v1alpha1.KeyUsage;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.LocalRef;
import dev.keystore.operator.api.v1alpha1.PrivateKeySpec;
import dev.keystore.operator.api.v1alpha1.RotationPolicy;
import dev.keystore.operator.api.v1alpha1.SecretKeyRef;
import dev.keystore.operator.api.v1alpha1.SelfSignedIssuer;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.api.v1alpha1.StoreFormat;
import dev.keystore.operator.api.v1alpha1.Subject;
import dev.keystore.operator.api.v1alpha1.TruststoreSpec;
import dev.keystore.operator.api.v1alpha1.VerifyCertificates;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.render.Manifests;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

class SetDefinitionTest {
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final int DS = org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
    static final int KE = org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
    static final int DE = org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment;
    static final int KA = org.bouncycastle.asn1.x509.KeyUsage.keyAgreement;

    static KeystoreSet set(String name) {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        return set;
    }

    static PrivateKeySpec key(KeyAlgorithm algorithm, Integer size) {
        PrivateKeySpec spec = new PrivateKeySpec();
        spec.algorithm = algorithm;
        spec.size = size;
        return spec;
    }

    static Problem invalid(KeystoreSet set) {
        Problem.Raised raised = assertThrows(Problem.Raised.class, () -> SetDefinition.of(set));
        assertEquals(Problem.INVALID_SPEC, raised.problem().reason());
        return raised.problem();
    }

    static void assertNames(Problem problem, String field) {
        assertTrue(problem.message().startsWith(field + ":"), "expected field " + field + " in: " + problem.message());
    }

    // ---- the set's name ----

    @Test
    void aSetNameThatCannotBeALabelValueIsRefusedNamingMetadataName() throws Exception {
        KeystoreSet ok = set("a".repeat(63));
        ok.getSpec().tls = new SlotSpec();
        assertEquals("a".repeat(63), SetDefinition.of(ok).name());

        KeystoreSet tooLong = set("a".repeat(64));
        tooLong.getSpec().tls = new SlotSpec();
        assertNames(invalid(tooLong), "metadata.name");

        KeystoreSet malformed = set("Web_1");
        malformed.getSpec().tls = new SlotSpec();
        assertNames(invalid(malformed), "metadata.name");
    }

    // ---- defaults ----

    @Test
    void aTlsOnlySetGetsEveryDefault() throws Exception {
        KeystoreSet set = set("web");
        set.getSpec().tls = new SlotSpec();
        SetDefinition def = SetDefinition.of(set);

        assertEquals("web", def.name());
        assertEquals("ns", def.namespace());
        assertEquals("web-keystores", def.secretName());
        assertNull(def.passwordSecretRef());
        assertEquals(Set.of(SlotName.TLS), def.slots().keySet());
        SlotDefinition tls = def.slot(SlotName.TLS).orElseThrow();
        assertEquals("tls", tls.alias());
        assertEquals("tls.p12", tls.fileName());
        assertEquals(StoreType.PKCS12, tls.format());
        assertEquals(KeyType.rsa(2048), tls.keyType());
        assertEquals(RotationPolicy.Always, tls.rotationPolicy());
        assertEquals(Duration.ofHours(8760), tls.duration());
        assertEquals(Duration.ofHours(2920), tls.renewBefore(), "one third of duration");
        assertEquals(DS | KE, tls.profile().keyUsage());
        assertEquals(Set.of(SERVER_AUTH, CLIENT_AUTH), tls.profile().extendedKeyUsage());
        assertEquals(new X500Name("CN=web"), tls.profile().subject());
        assertFalse(tls.profile().ca());

        assertEquals(SetDefinition.IssuerDefinition.Kind.SELF_SIGNED, def.issuer().kind());
        assertEquals(new X500Name("CN=web CA"), def.issuer().subject());
        assertEquals(Duration.ofHours(87600), def.issuer().duration());
        assertEquals(KeyType.rsa(3072), def.issuer().keyType());

        assertEquals("truststore.p12", def.truststore().fileName());
        assertEquals(StoreType.PKCS12, def.truststore().format());
        assertTrue(def.truststore().includeIssuer());
        assertEquals(List.of(), def.truststore().trustBundles());
        assertEquals("/etc/keystores", def.mountPath());
        assertEquals(VerifyCertificates.Strict, def.verifyCertificates());
        assertEquals(Set.of(), def.config());
    }

    @Test
    void primaryAndInternalDefaultToRsaNeverRotatedAndDataEncipherment() throws Exception {
        KeystoreSet set = set("apim");
        set.getSpec().primary = new SlotSpec();
        set.getSpec().internal = new SlotSpec();
        SetDefinition def = SetDefinition.of(set);

        for (SlotName name : List.of(SlotName.PRIMARY, SlotName.INTERNAL)) {
            SlotDefinition slot = def.slot(name).orElseThrow();
            assertEquals(name.key(), slot.alias());
            assertEquals(name.key() + ".p12", slot.fileName());
            assertEquals(KeyType.rsa(2048), slot.keyType());
            assertEquals(RotationPolicy.Never, slot.rotationPolicy());
            assertEquals(DS | KE | DE, slot.profile().keyUsage(), name + " usages");
            assertEquals(Set.of(), slot.profile().extendedKeyUsage());
            assertEquals(new X500Name("CN=apim"), slot.profile().subject());
        }
        assertTrue(def.slot(SlotName.TLS).isEmpty());
    }

    @Test
    void anEcTlsKeyGetsKeyAgreementInsteadOfKeyEnciphermentAndP256() throws Exception {
        KeystoreSet set = set("ec");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.privateKey = key(KeyAlgorithm.EC, null);
        SlotDefinition tls = SetDefinition.of(set).slot(SlotName.TLS).orElseThrow();
        assertEquals(KeyType.ec(256), tls.keyType());
        assertEquals(DS | KA, tls.profile().keyUsage());
        assertEquals(Set.of(SERVER_AUTH, CLIENT_AUTH), tls.profile().extendedKeyUsage());

        set.getSpec().tls.privateKey = key(KeyAlgorithm.EC, 384);
        assertEquals(KeyType.ec(384), SetDefinition.of(set).slot(SlotName.TLS).orElseThrow().keyType());
    }

    @Test
    void explicitUsagesReplaceTheDefaults() throws Exception {
        KeystoreSet set = set("u");
        set.getSpec().primary = new SlotSpec();
        set.getSpec().primary.usages = List.of(KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.clientAuth);
        SlotDefinition primary = SetDefinition.of(set).slot(SlotName.PRIMARY).orElseThrow();
        assertEquals(DS | org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation, primary.profile().keyUsage());
        assertEquals(Set.of(CLIENT_AUTH), primary.profile().extendedKeyUsage());
    }

    @Test
    void tlsCommonNameDefaultsToTheFirstDnsNameAndIpsAreCanonical() throws Exception {
        KeystoreSet set = set("web");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.dnsNames = List.of("web.example.com", "web.ns.svc");
        set.getSpec().tls.ipAddresses = List.of("10.0.0.1", "::1");
        SlotDefinition tls = SetDefinition.of(set).slot(SlotName.TLS).orElseThrow();
        assertEquals(new X500Name("CN=web.example.com"), tls.profile().subject());
        assertEquals(Set.of("web.example.com", "web.ns.svc"), tls.profile().dnsNames());
        assertEquals(Set.of("10.0.0.1", "0:0:0:0:0:0:0:1"), tls.profile().ipAddresses());
    }

    @Test
    void jksFormatChangesDefaultFileNamesAndASlotMayOverrideIt() throws Exception {
        KeystoreSet set = set("j");
        set.getSpec().format = StoreFormat.JKS;
        set.getSpec().primary = new SlotSpec();
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.format = StoreFormat.PKCS12;
        SetDefinition def = SetDefinition.of(set);
        assertEquals("primary.jks", def.slot(SlotName.PRIMARY).orElseThrow().fileName());
        assertEquals(StoreType.JKS, def.slot(SlotName.PRIMARY).orElseThrow().format());
        assertEquals("tls.p12", def.slot(SlotName.TLS).orElseThrow().fileName());
        assertEquals(StoreType.PKCS12, def.slot(SlotName.TLS).orElseThrow().format());
        assertEquals("truststore.jks", def.truststore().fileName());
        assertEquals(StoreType.JKS, def.truststore().format());

        set.getSpec().truststore = new TruststoreSpec();
        set.getSpec().truststore.format = StoreFormat.PKCS12;
        assertEquals("truststore.p12", SetDefinition.of(set).truststore().fileName());
    }

    @Test
    void passwordSecretRefKeyDefaultsToPassword() throws Exception {
        KeystoreSet set = set("p");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().passwordSecretRef = new SecretKeyRef("p-pass", null);
        SetDefinition def = SetDefinition.of(set);
        assertEquals("p-pass", def.passwordSecretRef().name);
        assertEquals("password", def.passwordSecretRef().key);

        set.getSpec().passwordSecretRef = new SecretKeyRef("p-pass", "pw");
        assertEquals("pw", SetDefinition.of(set).passwordSecretRef().key);

        set.getSpec().passwordSecretRef = new SecretKeyRef(" ", "pw");
        assertNames(invalid(set), "spec.passwordSecretRef.name");
    }

    @Test
    void explicitValuesAreKept() throws Exception {
        KeystoreSet set = set("x");
        set.getSpec().secretName = "custom";
        set.getSpec().mountPath = "/opt/security/";
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.alias = "wso2carbon";
        set.getSpec().tls.fileName = "tls_keystore.p12";
        set.getSpec().tls.duration = "2160h";
        set.getSpec().tls.renewBefore = "360h";
        set.getSpec().tls.privateKey = key(KeyAlgorithm.RSA, 3072);
        set.getSpec().tls.privateKey.rotationPolicy = RotationPolicy.Never;
        SetDefinition def = SetDefinition.of(set);
        SlotDefinition tls = def.slot(SlotName.TLS).orElseThrow();
        assertEquals("custom", def.secretName());
        assertEquals("/opt/security", def.mountPath());
        assertEquals("wso2carbon", tls.alias());
        assertEquals("tls_keystore.p12", tls.fileName());
        assertEquals(Duration.ofHours(2160), tls.duration());
        assertEquals(Duration.ofHours(360), tls.renewBefore());
        assertEquals(KeyType.rsa(3072), tls.keyType());
        assertEquals(RotationPolicy.Never, tls.rotationPolicy());
    }

    @Test
    void selfSignedIssuerSettingsAreApplied() throws Exception {
        KeystoreSet set = set("ca");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.selfSigned = new SelfSignedIssuer();
        set.getSpec().issuer.selfSigned.subject = new Subject("Corp CA");
        set.getSpec().issuer.selfSigned.subject.organizations = List.of("Corp");
        set.getSpec().issuer.selfSigned.duration = "43800h";
        set.getSpec().issuer.selfSigned.privateKey = key(KeyAlgorithm.EC, 384);
        SetDefinition.IssuerDefinition issuer = SetDefinition.of(set).issuer();
        assertEquals(new X500Name("O=Corp,CN=Corp CA"), issuer.subject());
        assertEquals(Duration.ofHours(43800), issuer.duration());
        assertEquals(KeyType.ec(384), issuer.keyType());
    }

    @Test
    void caAndKeystoreSetIssuersCarryTheirReference() throws Exception {
        KeystoreSet set = set("leafy");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.ca = new CaIssuer();
        set.getSpec().issuer.ca.secretRef = new LocalRef("corp-ca");
        assertEquals(SetDefinition.IssuerDefinition.Kind.CA_SECRET, SetDefinition.of(set).issuer().kind());
        assertEquals("corp-ca", SetDefinition.of(set).issuer().reference());

        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.keystoreSetRef = new LocalRef("shared-ca");
        assertEquals(SetDefinition.IssuerDefinition.Kind.KEYSTORE_SET, SetDefinition.of(set).issuer().kind());
        assertEquals("shared-ca", SetDefinition.of(set).issuer().reference());

        set.getSpec().issuer.keystoreSetRef = new LocalRef("leafy");
        assertNames(invalid(set), "spec.issuer.keystoreSetRef.name");
    }

    @Test
    void theContractExampleParsesToTheDefinitionItDescribes() throws Exception {
        String yaml = """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: apim, namespace: wso2}
            spec:
              secretName: apim-keystores
              format: JKS
              passwordSecretRef: {name: apim-keystore-password, key: password}
              issuer:
                selfSigned:
                  subject: {commonName: "apim CA"}
                  duration: 87600h
                  privateKey: {algorithm: RSA, size: 3072}
              primary:
                alias: wso2carbon
                fileName: wso2carbon.jks
                format: JKS
                subject: {commonName: apim.example.com, organizations: [Example], countries: [US]}
                privateKey: {algorithm: RSA, size: 2048, rotationPolicy: Never}
                duration: 8760h
                renewBefore: 720h
                usages: [digitalSignature, keyEncipherment, dataEncipherment]
              tls:
                alias: wso2carbon
                dnsNames: [apim.example.com, apim.wso2.svc, apim.wso2.svc.cluster.local]
                ipAddresses: []
                privateKey: {algorithm: EC, size: 256, rotationPolicy: Always}
                duration: 2160h
                renewBefore: 360h
                usages: [digitalSignature, keyEncipherment, serverAuth, clientAuth]
              internal:
                alias: wso2carbon
                privateKey: {algorithm: RSA, size: 2048}
              truststore:
                fileName: client-truststore.jks
                includeIssuer: true
                trustBundleRefs: [{name: corp-roots}]
              config: [wso2]
              mountPath: /home/wso2carbon/security
              verifyCertificates: Strict
              rollout:
                - {kind: Deployment, name: apim}
            """;
        SetDefinition def = SetDefinition.of(Manifests.STRICT.readValue(yaml, KeystoreSet.class));

        assertEquals("apim-keystores", def.secretName());
        assertEquals("apim-keystore-password", def.passwordSecretRef().name);
        SlotDefinition primary = def.slot(SlotName.PRIMARY).orElseThrow();
        assertEquals("wso2carbon.jks", primary.fileName());
        assertEquals(StoreType.JKS, primary.format());
        assertEquals(new X500Name("C=US,O=Example,CN=apim.example.com"), primary.profile().subject());
        assertEquals(Duration.ofHours(720), primary.renewBefore());
        SlotDefinition tls = def.slot(SlotName.TLS).orElseThrow();
        assertEquals("tls.jks", tls.fileName());
        assertEquals(KeyType.ec(256), tls.keyType());
        assertEquals(DS | KE, tls.profile().keyUsage(), "explicit usages are taken as written");
        assertEquals(new X500Name("CN=apim.example.com"), tls.profile().subject());
        assertEquals(Set.of("apim.example.com", "apim.wso2.svc", "apim.wso2.svc.cluster.local"), tls.profile().dnsNames());
        assertEquals("internal.jks", def.slot(SlotName.INTERNAL).orElseThrow().fileName());
        assertEquals("client-truststore.jks", def.truststore().fileName());
        assertEquals(List.of("corp-roots"), def.truststore().trustBundles());
        assertEquals("/home/wso2carbon/security", def.mountPath());
        assertEquals(KeyType.rsa(3072), def.issuer().keyType());
        assertEquals(new X500Name("CN=apim CA"), def.issuer().subject());
    }

    // ---- refusals, each naming the field to fix ----

    @Test
    void aSetWithNoSlotIsInvalidAndNamesSpec() {
        Problem problem = invalid(set("empty"));
        assertNames(problem, "spec");
        assertTrue(problem.message().contains("primary") && problem.message().contains("tls"), problem.message());

        KeystoreSet noSpec = set("nospec");
        noSpec.setSpec(null);
        assertNames(invalid(noSpec), "spec");
    }

    @Test
    void ecIsRefusedForPrimaryAndInternal() {
        KeystoreSet set = set("ec");
        set.getSpec().primary = new SlotSpec();
        set.getSpec().primary.privateKey = key(KeyAlgorithm.EC, 256);
        assertNames(invalid(set), "spec.primary.privateKey.algorithm");

        set.getSpec().primary = null;
        set.getSpec().internal = new SlotSpec();
        set.getSpec().internal.privateKey = key(KeyAlgorithm.EC, null);
        assertNames(invalid(set), "spec.internal.privateKey.algorithm");
    }

    @Test
    void rsaSizesOutsideTheAllowedSetAreRefusedNamingTheSize() {
        for (int size : new int[] {1024, 1536, 8192}) {
            KeystoreSet set = set("rsa");
            set.getSpec().tls = new SlotSpec();
            set.getSpec().tls.privateKey = key(KeyAlgorithm.RSA, size);
            Problem problem = invalid(set);
            assertNames(problem, "spec.tls.privateKey.size");
            assertTrue(problem.message().contains(String.valueOf(size)), problem.message());
        }
        KeystoreSet primary = set("rsa");
        primary.getSpec().primary = new SlotSpec();
        primary.getSpec().primary.privateKey = key(null, 1024);
        assertNames(invalid(primary), "spec.primary.privateKey.size");

        KeystoreSet issuer = set("rsa");
        issuer.getSpec().tls = new SlotSpec();
        issuer.getSpec().issuer = new IssuerSpec();
        issuer.getSpec().issuer.selfSigned = new SelfSignedIssuer();
        issuer.getSpec().issuer.selfSigned.privateKey = key(KeyAlgorithm.RSA, 1024);
        assertNames(invalid(issuer), "spec.issuer.selfSigned.privateKey.size");
    }

    @Test
    void ecSizesOtherThan256And384AreRefused() {
        for (int size : new int[] {521, 224, 2048}) {
            KeystoreSet set = set("ec");
            set.getSpec().tls = new SlotSpec();
            set.getSpec().tls.privateKey = key(KeyAlgorithm.EC, size);
            assertNames(invalid(set), "spec.tls.privateKey.size");
        }
    }

    @Test
    void badDurationsAreRefusedNamingTheField() {
        for (String bad : new String[] {"1y", "90 days", "abc", "0h", "-5h"}) {
            KeystoreSet set = set("d");
            set.getSpec().tls = new SlotSpec();
            set.getSpec().tls.duration = bad;
            assertNames(invalid(set), "spec.tls.duration");
        }
        KeystoreSet ca = set("d");
        ca.getSpec().tls = new SlotSpec();
        ca.getSpec().issuer = new IssuerSpec();
        ca.getSpec().issuer.selfSigned = new SelfSignedIssuer();
        ca.getSpec().issuer.selfSigned.duration = "10 years";
        assertNames(invalid(ca), "spec.issuer.selfSigned.duration");

        KeystoreSet renew = set("d");
        renew.getSpec().primary = new SlotSpec();
        renew.getSpec().primary.renewBefore = "soon";
        assertNames(invalid(renew), "spec.primary.renewBefore");
    }

    @Test
    void renewBeforeMustBeShorterThanDuration() throws Exception {
        KeystoreSet set = set("r");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.duration = "720h";
        set.getSpec().tls.renewBefore = "720h";
        assertNames(invalid(set), "spec.tls.renewBefore");
        set.getSpec().tls.renewBefore = "800h";
        assertNames(invalid(set), "spec.tls.renewBefore");
        set.getSpec().tls.renewBefore = "719h59m";
        assertEquals(Duration.ofHours(720).minusMinutes(1),
            SetDefinition.of(set).slot(SlotName.TLS).orElseThrow().renewBefore());
    }

    @Test
    void twoSlotsWithTheSameFileNameAreRefused() {
        KeystoreSet set = set("f");
        set.getSpec().primary = new SlotSpec();
        set.getSpec().primary.fileName = "wso2carbon.jks";
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.fileName = "wso2carbon.jks";
        Problem problem = invalid(set);
        assertNames(problem, "spec.tls.fileName");
        assertTrue(problem.message().contains("primary"), problem.message());
    }

    @Test
    void theTruststoreCannotShareASlotsFileName() {
        KeystoreSet set = set("f");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().truststore = new TruststoreSpec();
        set.getSpec().truststore.fileName = "tls.p12";
        assertNames(invalid(set), "spec.truststore.fileName");
    }

    @Test
    void keysTheOperatorWritesAreReservedFileNames() {
        for (String reserved : new String[] {"password", "ca.crt", "tls.crt", "tls.key", "deployment.toml"}) {
            KeystoreSet set = set("f");
            set.getSpec().primary = new SlotSpec();
            set.getSpec().primary.fileName = reserved;
            assertNames(invalid(set), "spec.primary.fileName");
        }
        KeystoreSet truststore = set("f");
        truststore.getSpec().tls = new SlotSpec();
        truststore.getSpec().truststore = new TruststoreSpec();
        truststore.getSpec().truststore.fileName = "password";
        assertNames(invalid(truststore), "spec.truststore.fileName");
    }

    @Test
    void fileNamesMustBeValidSecretKeys() {
        for (String bad : new String[] {"../etc/passwd", "a b.p12", ".hidden", "dir/file.p12"}) {
            KeystoreSet set = set("f");
            set.getSpec().tls = new SlotSpec();
            set.getSpec().tls.fileName = bad;
            assertNames(invalid(set), "spec.tls.fileName");
        }
    }

    @Test
    void anIssuerWithTwoKindsIsRefused() {
        KeystoreSet set = set("i");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().issuer = new IssuerSpec();
        set.getSpec().issuer.selfSigned = new SelfSignedIssuer();
        set.getSpec().issuer.ca = new CaIssuer();
        set.getSpec().issuer.ca.secretRef = new LocalRef("corp-ca");
        assertNames(invalid(set), "spec.issuer");

        set.getSpec().issuer.selfSigned = null;
        set.getSpec().issuer.keystoreSetRef = new LocalRef("other");
        assertNames(invalid(set), "spec.issuer");

        set.getSpec().issuer.keystoreSetRef = null;
        set.getSpec().issuer.ca.secretRef = null;
        assertNames(invalid(set), "spec.issuer.ca.secretRef.name");
    }

    @Test
    void theInternalKeyCannotBeSetToRotate() {
        KeystoreSet set = set("i");
        set.getSpec().internal = new SlotSpec();
        set.getSpec().internal.privateKey = new PrivateKeySpec();
        set.getSpec().internal.privateKey.rotationPolicy = RotationPolicy.Always;
        assertNames(invalid(set), "spec.internal.privateKey.rotationPolicy");
    }

    @Test
    void badNamesAndAddressesAreRefused() {
        KeystoreSet dns = set("n");
        dns.getSpec().tls = new SlotSpec();
        dns.getSpec().tls.dnsNames = List.of("ok.example.com", "not a name");
        assertNames(invalid(dns), "spec.tls.dnsNames");

        KeystoreSet ip = set("n");
        ip.getSpec().tls = new SlotSpec();
        ip.getSpec().tls.ipAddresses = List.of("10.0.0.300");
        assertNames(invalid(ip), "spec.tls.ipAddresses");

        KeystoreSet hostAsIp = set("n");
        hostAsIp.getSpec().tls = new SlotSpec();
        hostAsIp.getSpec().tls.ipAddresses = List.of("localhost");
        assertNames(invalid(hostAsIp), "spec.tls.ipAddresses");

        KeystoreSet country = set("n");
        country.getSpec().primary = new SlotSpec();
        country.getSpec().primary.subject = new Subject("x");
        country.getSpec().primary.subject.countries = List.of("USA");
        assertNames(invalid(country), "spec.primary.subject.countries");
    }

    @Test
    void usagesWithoutAnyKeyUsageAreRefused() {
        KeystoreSet set = set("u");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.usages = List.of(KeyUsage.serverAuth);
        assertNames(invalid(set), "spec.tls.usages");
    }

    @Test
    void uriAndEmailNamesGoIntoTheProfileAndBadOnesNameTheField() throws Exception {
        KeystoreSet set = set("s");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.uris = List.of("spiffe://example.org/ns/wso2/sa/apim", "spiffe://example.org/ns/wso2/sa/apim");
        set.getSpec().tls.emailAddresses = List.of("ops@example.com");
        var profile = SetDefinition.of(set).slot(SlotName.TLS).orElseThrow().profile();
        assertEquals(Set.of("spiffe://example.org/ns/wso2/sa/apim"), profile.uris());
        assertEquals(Set.of("ops@example.com"), profile.emailAddresses());

        set.getSpec().tls.uris = List.of("apim.example.com/x");
        Problem uri = invalid(set);
        assertEquals("spec.tls.uris: 'apim.example.com/x' has no scheme (such as spiffe:// or https://)", uri.message());
        set.getSpec().tls.uris = null;
        set.getSpec().tls.emailAddresses = List.of("Ops Team <ops@example.com>");
        assertNames(invalid(set), "spec.tls.emailAddresses");
    }

    @Test
    void wildcardDnsNamesAreAccepted() throws Exception {
        KeystoreSet set = set("w");
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.dnsNames = List.of("*.apps.example.com");
        assertEquals(Set.of("*.apps.example.com"),
            SetDefinition.of(set).slot(SlotName.TLS).orElseThrow().profile().dnsNames());
    }

    @Test
    void secretNamesDeriveFromTheOutputSecret() {
        assertEquals("apim-keystores", SetSecrets.defaultOutput("apim"));
        assertEquals("apim-keystores-ca", new SetSecrets("apim", "apim-keystores").record(RecordRole.CA));
        assertEquals("apim-keystores-internal", new SetSecrets("apim", "apim-keystores").record(RecordRole.INTERNAL));
    }
}
