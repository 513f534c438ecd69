package dev.keystore.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.config.Snippets;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.plan.BundleDefinition;
import dev.keystore.operator.plan.InputSource;
import dev.keystore.operator.plan.Inputs;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.RecordRole;
import dev.keystore.operator.plan.SetDefinition;
import dev.keystore.operator.plan.TrustAssembly;
import dev.keystore.operator.render.Manifests;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Secrets the operator writes for each example, as it creates them: name, type, owner, labels,
 * annotations and data keys (never the bytes, which are random), against golden files in
 * src/test/resources/secrets/&lt;example&gt;.txt. To accept new output, as for the snippet golden files:
 * {@code mvn test -Dsnippets.golden.update=true -Dtest=SecretsGoldenTest}.
 */
class SecretsGoldenTest {
    static final boolean UPDATE_GOLDEN = Boolean.getBoolean("snippets.golden.update");
    static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    static final Path GOLDEN = PROJECT.resolve("src/test/resources/secrets");

    @ParameterizedTest
    @ValueSource(strings = {"wso2-apim", "zowe", "liberty-mtls", "tls-only", "trustbundle"})
    void examplesWriteTheSecretsOfTheirGoldenFiles(String example) throws Exception {
        String actual = describe(example);
        Path golden = GOLDEN.resolve(example + ".txt");
        if (UPDATE_GOLDEN) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
            return;
        }
        assertTrue(Files.isRegularFile(golden), "no golden file " + golden + ": run mvn test -Dsnippets.golden.update=true once");
        assertEquals(Files.readString(golden), actual,
            example + ": the Secrets differ (to accept the new output: mvn test -Dsnippets.golden.update=true)");
    }

    /** Plans every resource of the example as the operator does, and describes the Secrets it would create. */
    static String describe(String example) throws Exception {
        Manifests manifests = Manifests.read(List.of(PROJECT.resolve("examples/" + example + ".yaml")));
        Map<String, Map<String, byte[]>> secrets = new HashMap<>();
        manifests.secrets().forEach((key, data) -> secrets.put(key.substring(key.indexOf('/') + 1), data));
        Map<String, Map<String, byte[]>> configMaps = new HashMap<>();
        manifests.configMaps().forEach((key, data) -> configMaps.put(key.substring(key.indexOf('/') + 1), data));
        InputSource source = new InputSource() {
            @Override
            public Optional<Map<String, byte[]>> secret(String name) {
                return Optional.ofNullable(secrets.get(name));
            }

            @Override
            public Optional<KeystoreSet> keystoreSet(String name) {
                return manifests.keystoreSets().stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
            }

            @Override
            public Optional<Map<String, byte[]>> configMap(String name) {
                return Optional.ofNullable(configMaps.get(name));
            }

            @Override
            public Optional<TrustBundle> trustBundle(String name) {
                return manifests.trustBundles().stream().filter(b -> name.equals(b.getMetadata().getName())).findFirst();
            }
        };
        Clock clock = TestKeys.clockAt(TestKeys.T0);
        Issuance issuance = new Issuance(new Signer(clock, TestKeys.seeded(20)));
        Map<String, Secret> written = new TreeMap<>();
        List<KeystoreSet> pending = new ArrayList<>(manifests.keystoreSets());
        // issuers first: a set signed by another set's CA is planned once that CA exists
        pending.sort((a, b) -> Boolean.compare(a.getSpec().issuer != null && a.getSpec().issuer.keystoreSetRef != null,
            b.getSpec().issuer != null && b.getSpec().issuer.keystoreSetRef != null));
        for (KeystoreSet set : pending) {
            set.getMetadata().setUid("uid-" + set.getMetadata().getName());
            set.getMetadata().setNamespace(Manifests.namespace(set));
            SetDefinition def = SetDefinition.of(set);
            Outcome outcome = issuance.run(def, Inputs.gather(def, source, Map.of()));
            Map<String, byte[]> output = new LinkedHashMap<>(outcome.output());
            output.putAll(Snippets.files(def));
            put(written, new OutputSecret().desired(set, def.secretName(), output,
                SecretMetadataTemplate.of(set.getSpec().secretTemplate)));
            if (outcome.caRecord() != null) {
                String name = def.secrets().record(RecordRole.CA);
                secrets.put(name, outcome.caRecord());
                put(written, new CaSecret(def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.SELF_SIGNED)
                    .desired(set, name, outcome.caRecord()));
            }
            if (outcome.internalRecord() != null) {
                put(written, new InternalKeySecret().desired(set, def.secrets().record(RecordRole.INTERNAL),
                    outcome.internalRecord()));
            }
        }
        for (TrustBundle bundle : manifests.trustBundles()) {
            bundle.getMetadata().setUid("uid-" + bundle.getMetadata().getName());
            bundle.getMetadata().setNamespace(Manifests.namespace(bundle));
            BundleDefinition def = BundleDefinition.of(bundle);
            String password = def.referencedPassword(source);
            var result = TrustAssembly.assemble(def, Inputs.trustedCertificates(bundle, source), Map.of(), password,
                clock.instant(), TestKeys.seeded(21));
            put(written, new TrustBundleSecret().desired(bundle, def.targetSecret(), result.output()));
        }
        StringBuilder text = new StringBuilder();
        for (Secret s : written.values()) {
            text.append("Secret ").append(s.getMetadata().getNamespace()).append('/').append(s.getMetadata().getName())
                .append('\n').append("  type: ").append(s.getType()).append('\n');
            text.append("  owner: ").append(s.getMetadata().getOwnerReferences() == null
                || s.getMetadata().getOwnerReferences().isEmpty() ? "none" : s.getMetadata().getOwnerReferences().stream()
                .map(o -> o.getKind() + " " + o.getName() + (Boolean.TRUE.equals(o.getController()) ? " (controller)" : ""))
                .toList()).append('\n');
            lines(text, "labels", s.getMetadata().getLabels());
            lines(text, "annotations", s.getMetadata().getAnnotations());
            text.append("  keys:\n");
            new TreeMap<>(s.getData()).keySet().forEach(k -> text.append("    ").append(k).append('\n'));
        }
        return text.toString();
    }

    private static void put(Map<String, Secret> written, Secret secret) {
        written.put(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), secret);
    }

    private static void lines(StringBuilder text, String title, Map<String, String> values) {
        text.append("  ").append(title).append(":\n");
        new TreeMap<>(values == null ? Map.<String, String>of() : values)
            .forEach((k, v) -> text.append("    ").append(k).append(": ").append(v).append('\n'));
    }
}
