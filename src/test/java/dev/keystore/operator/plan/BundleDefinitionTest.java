package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustFormat;
import dev.keystore.operator.keystore.Pkcs12Profile;
import dev.keystore.operator.render.Manifests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleDefinitionTest {

    static TrustBundle bundle(String target) throws Exception {
        return Manifests.STRICT.readValue("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec:
              sources: [{systemCAs: true}]
            """ + (target == null ? "" : "  target: " + target + "\n"), TrustBundle.class);
    }

    @Test
    void withoutATargetEveryDefaultApplies() throws Exception {
        BundleDefinition def = BundleDefinition.of(bundle(null));
        assertEquals("tb", def.targetSecret());
        assertEquals("ns", def.namespace());
        assertEquals(List.of(TrustFormat.PKCS12), def.formats());
        assertNull(def.passwordSecretRef());
        assertEquals(Pkcs12Profile.MODERN, def.pkcs12Profile());
        assertFalse(def.configMap());
        assertFalse(def.excludeExpired());
        assertNull(def.namespaceSelector());
        assertNull(def.referencedPassword(new MapInputs(Map.of(), Map.of())), "no reference: the operator generates it");
    }

    @Test
    void theTargetIsTakenAsWrittenWithRepeatedFormatsOnce() throws Exception {
        BundleDefinition def = BundleDefinition.of(bundle("{secretName: out, formats: [PEM, JKS, PEM], pkcs12Profile: Legacy,"
            + " configMap: true, passwordSecretRef: {name: pw}}"));
        assertEquals("out", def.targetSecret());
        assertEquals(List.of(TrustFormat.PEM, TrustFormat.JKS), def.formats());
        assertEquals(Pkcs12Profile.LEGACY, def.pkcs12Profile());
        assertTrue(def.configMap());
        assertEquals("pw", def.passwordSecretRef().name);
        assertEquals("password", def.passwordSecretRef().key, "the key defaults to password, as for sets");
    }

    @Test
    void aPasswordReferenceWithoutANameIsAnInvalidSpec() throws Exception {
        Problem p = assertThrows(Problem.Raised.class,
            () -> BundleDefinition.of(bundle("{passwordSecretRef: {name: ' ', key: pw}}"))).problem();
        assertEquals(Problem.INVALID_SPEC, p.reason());
        assertTrue(p.message().contains("spec.target.passwordSecretRef.name"), p.message());
    }

    /** The one strict reader: a blank password is refused as BadInput naming the Secret and key, never used. */
    @Test
    void aBlankReferencedPasswordIsRefusedAndAPresentOneIsStripped() throws Exception {
        BundleDefinition def = BundleDefinition.of(bundle("{passwordSecretRef: {name: pw, key: k}}"));
        Problem blank = assertThrows(Problem.Raised.class, () -> def.referencedPassword(new MapInputs(
            Map.of("pw", Map.of("k", " \n".getBytes(StandardCharsets.UTF_8))), Map.of()))).problem();
        assertEquals(Problem.BAD_INPUT, blank.reason());
        assertEquals("Secret pw key k (spec.target.passwordSecretRef) is empty", blank.message());
        Problem missing = assertThrows(Problem.Raised.class, () -> def.referencedPassword(new MapInputs(
            Map.of("pw", Map.of("other", "x".getBytes(StandardCharsets.UTF_8))), Map.of()))).problem();
        assertEquals(Problem.MISSING_INPUT, missing.reason());
        assertEquals("s3cret-value", def.referencedPassword(new MapInputs(
            Map.of("pw", Map.of("k", " s3cret-value\n".getBytes(StandardCharsets.UTF_8))), Map.of())));
    }
}
