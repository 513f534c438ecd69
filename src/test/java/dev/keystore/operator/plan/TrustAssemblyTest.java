package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.keystore.SystemTrust;
import dev.keystore.operator.render.Manifests;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

class TrustAssemblyTest {
    static final Instant NOW = TestKeys.T0;

    static TrustBundle bundle(String yaml) throws Exception {
        return Manifests.STRICT.readValue(yaml, TrustBundle.class);
    }

    static X509Certificate ca(String cn, Instant from, Duration life) {
        return TestKeys.signerAt(from).selfSignedCa(new X500Name("CN=" + cn), TestKeys.ec256(), life).certificate();
    }

    static InputSource source(Map<String, Map<String, byte[]>> secrets, Map<String, Map<String, byte[]>> configMaps) {
        return new MapInputs(secrets, configMaps);
    }

    static byte[] pem(X509Certificate... certs) {
        return Pem.encode(List.of(certs)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everySourceKindIsReadAndDuplicatesAppearOnce() throws Exception {
        X509Certificate a = ca("Alpha Root", NOW, Duration.ofDays(3650));
        X509Certificate b = ca("Beta Root", NOW, Duration.ofDays(3650));
        X509Certificate c = ca("Gamma Root", NOW, Duration.ofDays(3650));
        TrustBundle tb = bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec:
              sources:
              - secret: {name: s, key: ca.crt}
              - configMap: {name: cm, key: bundle.pem}
              - inline: |
            %s
              - systemCAs: true
              target: {formats: [PKCS12, JKS, PEM]}
            """.formatted(new String(pem(c, a), StandardCharsets.UTF_8).indent(6).stripTrailing()));
        var src = source(Map.of("s", Map.of("ca.crt", pem(a))), Map.of("cm", Map.of("bundle.pem", pem(b, a))));

        List<X509Certificate> certs = Inputs.trustedCertificates(tb, src);
        TrustAssembly.Result r = TrustAssembly.assemble(tb, certs, Map.of(), null, NOW, TestKeys.nextSeeded());

        int system = SystemTrust.certificates().size();
        assertTrue(system > 50, "the JDK's CAs: " + system);
        assertEquals(3 + system, r.entries().size(), "a appears once although three sources hold it");
        assertEquals(List.of("ca-bundle.pem", "password", "truststore.jks", "truststore.p12"),
            r.output().keySet().stream().sorted().toList());
        char[] pw = new String(r.output().get("password"), StandardCharsets.UTF_8).toCharArray();
        for (String f : List.of("truststore.p12", "truststore.jks")) {
            var content = KeystoreCodec.read(StoreType.valueOf(f.endsWith("p12") ? "PKCS12" : "JKS"), r.output().get(f), pw);
            assertEquals(3 + system, content.entries().size(), f);
            assertTrue(content.entries().stream().allMatch(e -> e instanceof StoreEntry.TrustedEntry), f);
        }
        assertEquals(3 + system, Pem.certificates(r.output().get("ca-bundle.pem")).size());
        assertTrue(r.entries().stream().anyMatch(e -> e.alias().equals("alpha-root")));
    }

    @Test
    void aliasesDependOnTheCertificatesNotTheirOrder() throws Exception {
        X509Certificate x1 = ca("Same Name", NOW, Duration.ofDays(100));
        X509Certificate x2 = ca("Same Name", NOW, Duration.ofDays(100));
        X509Certificate y = ca("Other", NOW, Duration.ofDays(100));
        TrustBundle tb = bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec: {sources: [{inline: x}]}
            """);
        List<X509Certificate> order1 = List.of(x1, x2, y);
        List<X509Certificate> order2 = new ArrayList<>(order1);
        Collections.reverse(order2);
        Map<String, String> aliases1 = new HashMap<>();
        Map<String, String> aliases2 = new HashMap<>();
        TrustAssembly.assemble(tb, order1, Map.of(), "pw-123456", NOW, TestKeys.nextSeeded()).entries()
            .forEach(e -> aliases1.put(e.sha256Fingerprint(), e.alias()));
        TrustAssembly.assemble(tb, order2, Map.of(), "pw-123456", NOW, TestKeys.nextSeeded()).entries()
            .forEach(e -> aliases2.put(e.sha256Fingerprint(), e.alias()));
        assertEquals(aliases1, aliases2);
        assertEquals(java.util.Set.of("same-name", "same-name-2", "other"), java.util.Set.copyOf(aliases1.values()));
    }

    @Test
    void unchangedCertificatesKeepTheBytesAndExpiryIsReported() throws Exception {
        X509Certificate soon = ca("Soon", NOW.minus(Duration.ofDays(300)), Duration.ofDays(310));
        X509Certificate gone = ca("Gone", NOW.minus(Duration.ofDays(300)), Duration.ofDays(100));
        X509Certificate fine = ca("Fine", NOW, Duration.ofDays(3650));
        TrustBundle keepExpired = bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec: {sources: [{inline: x}]}
            """);
        var first = TrustAssembly.assemble(keepExpired, List.of(soon, gone, fine), Map.of(), null, NOW, TestKeys.nextSeeded());
        var second = TrustAssembly.assemble(keepExpired, List.of(fine, gone, soon), first.output(), null,
            NOW.plus(Duration.ofHours(1)), TestKeys.nextSeeded());
        for (String k : first.output().keySet()) {
            assertArrayEquals(first.output().get(k), second.output().get(k), k + " was re-encoded");
        }
        assertEquals(2, first.expiringSoon().size(), first.expiringSoon().toString());
        assertTrue(first.expiringSoon().stream().anyMatch(s -> s.startsWith("soon")));

        TrustBundle dropExpired = bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec: {sources: [{inline: x}], excludeExpired: true}
            """);
        var dropped = TrustAssembly.assemble(dropExpired, List.of(soon, gone, fine), Map.of(), null, NOW,
            TestKeys.nextSeeded());
        assertEquals(2, dropped.entries().size());
        assertFalse(dropped.entries().stream().anyMatch(e -> e.alias().equals("gone")));
    }

    @Test
    void aPrivateKeyInASourceIsRefusedAndNeverCopied() throws Exception {
        CertificateAuthority ca = TestKeys.ecCa("Keyed");
        byte[] both = (Pem.encode(ca.chain()) + Pem.encode(ca.key())).getBytes(StandardCharsets.UTF_8);
        TrustBundle tb = bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec: {sources: [{secret: {name: leaky, key: tls.crt}}]}
            """);
        Problem.Raised e = assertThrows(Problem.Raised.class,
            () -> Inputs.trustedCertificates(tb, source(Map.of("leaky", Map.of("tls.crt", both)), Map.of())));
        assertEquals(Problem.BAD_INPUT, e.problem().reason());
        assertTrue(e.problem().message().contains("Secret leaky key tls.crt holds a private key"), e.problem().message());
        assertFalse(e.problem().message().contains("BEGIN"));
    }

    @Test
    void aMissingSourceOrOneWithoutCertificatesIsNamed() throws Exception {
        TrustBundle tb = bundle("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: tb, namespace: ns}
            spec: {sources: [{configMap: {name: nothere, key: ca.pem}}]}
            """);
        Problem.Raised missing = assertThrows(Problem.Raised.class, () -> Inputs.trustedCertificates(tb, source(Map.of(),
            Map.of())));
        assertEquals(Problem.MISSING_INPUT, missing.problem().reason());
        assertTrue(missing.problem().message().contains("ConfigMap nothere"), missing.problem().message());
        Problem.Raised empty = assertThrows(Problem.Raised.class, () -> Inputs.trustedCertificates(tb, source(Map.of(),
            Map.of("nothere", Map.of("ca.pem", "no pem here".getBytes(StandardCharsets.UTF_8))))));
        assertEquals(Problem.BAD_INPUT, empty.problem().reason());
        assertTrue(empty.problem().message().contains("ConfigMap nothere key ca.pem holds no PEM certificate"),
            empty.problem().message());
    }
}
