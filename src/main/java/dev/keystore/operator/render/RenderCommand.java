package dev.keystore.operator.render;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.config.Snippets;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.plan.InputSource;
import dev.keystore.operator.plan.Inputs;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.SetDefinition;
import dev.keystore.operator.plan.SlotReport;
import dev.keystore.operator.plan.TrustAssembly;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code render -f <yaml> [-f <yaml>...] -o <dir>}: writes what the operator would put in each
 * KeystoreSet's Secrets into a directory, without a cluster. Nothing is written unless every set
 * in the input succeeds. Exit codes: 0 done, 1 bad input, 2 bad usage.
 */
public final class RenderCommand {
    /** Where the Secrets besides the output one (CA and internal key record) are kept. */
    public static final String STATE_DIR = ".keystore-operator";
    static final String USAGE = "usage: render -f <file.yaml> [-f <file.yaml>...] -o <directory>";

    private final Clock clock;
    private final SecureRandom random;
    private final PrintStream out;
    private final PrintStream err;

    public RenderCommand(Clock clock, SecureRandom random, PrintStream out, PrintStream err) {
        this.clock = clock;
        this.random = random;
        this.out = out;
        this.err = err;
    }

    public int run(String... args) {
        List<Path> files = new ArrayList<>();
        Path outDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (("-f".equals(a) || "--file".equals(a)) && i + 1 < args.length) {
                files.add(Path.of(args[++i]));
            } else if (("-o".equals(a) || "--output".equals(a)) && i + 1 < args.length) {
                outDir = Path.of(args[++i]);
            } else if ("-h".equals(a) || "--help".equals(a)) {
                out.println(USAGE);
                return 0;
            } else {
                err.println("error: unexpected argument '" + a + "'\n" + USAGE);
                return 2;
            }
        }
        if (files.isEmpty() || outDir == null) {
            err.println("error: " + (files.isEmpty() ? "-f" : "-o") + " is required\n" + USAGE);
            return 2;
        }
        try {
            return render(Manifests.read(files), outDir);
        } catch (Manifests.BadManifest e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private int render(Manifests manifests, Path outDir) throws IOException {
        if (manifests.keystoreSets().isEmpty() && manifests.trustBundles().isEmpty()) {
            err.println("error: the input holds no KeystoreSet or TrustBundle");
            return 1;
        }
        boolean single = manifests.keystoreSets().size() + manifests.trustBundles().size() == 1;
        Map<String, SetDefinition> defs = new LinkedHashMap<>();
        Map<String, Path> dirs = new HashMap<>();
        for (KeystoreSet set : manifests.keystoreSets()) {
            String name = set.getMetadata().getName();
            try {
                defs.put(name, SetDefinition.of(set));
            } catch (Problem.Raised e) {
                err.println("error: KeystoreSet " + name + ": " + e.problem().message());
                return 1;
            }
            dirs.put(name, single ? outDir : outDir.resolve(name));
        }
        // secret name -> the directory that stands for it, for every Secret a set owns
        Map<String, DirectoryStore> stores = new HashMap<>();
        for (SetDefinition def : defs.values()) {
            Path dir = dirs.get(def.name());
            Path state = dir.resolve(STATE_DIR);
            stores.put(def.secretName(), new DirectoryStore(dir, state.resolve(def.secretName() + ".files")));
            stores.put(SetDefinition.caSecretName(def.secretName()),
                new DirectoryStore(state.resolve(SetDefinition.caSecretName(def.secretName())), null));
            stores.put(SetDefinition.internalSecretName(def.secretName()),
                new DirectoryStore(state.resolve(SetDefinition.internalSecretName(def.secretName())), null));
        }
        Map<String, Map<String, byte[]>> pending = new LinkedHashMap<>();
        InputSource source = new InputSource() {
            @Override
            public Optional<Map<String, byte[]>> secret(String name) {
                if (pending.containsKey(name)) {
                    return Optional.of(pending.get(name));
                }
                DirectoryStore store = stores.get(name);
                if (store != null) {
                    try {
                        return store.read();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return Optional.ofNullable(manifests.secrets().get(name));
            }

            @Override
            public Optional<KeystoreSet> keystoreSet(String name) {
                return manifests.keystoreSets().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst();
            }

            @Override
            public Optional<Map<String, byte[]>> configMap(String name) {
                return Optional.ofNullable(manifests.configMaps().get(name));
            }

            @Override
            public Optional<TrustBundle> trustBundle(String name) {
                return manifests.trustBundles().stream().filter(b -> b.getMetadata().getName().equals(name)).findFirst();
            }
        };
        Issuance issuance = new Issuance(new Signer(clock, random));
        List<String> order = issuerOrder(defs);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String name : order) {
            SetDefinition def = defs.get(name);
            try {
                Outcome outcome = issuance.run(def, Inputs.gather(def, source, Map.of()));
                outcomes.put(name, outcome);
                Map<String, byte[]> output = new LinkedHashMap<>(outcome.output());
                output.putAll(Snippets.files(def));
                pending.put(def.secretName(), output);
                if (outcome.caRecord() != null) {
                    pending.put(SetDefinition.caSecretName(def.secretName()), outcome.caRecord());
                }
                if (outcome.internalRecord() != null) {
                    pending.put(SetDefinition.internalSecretName(def.secretName()), outcome.internalRecord());
                }
            } catch (Problem.Raised e) {
                err.println("error: KeystoreSet " + name + ": " + e.problem().message());
                return 1;
            }
        }
        for (String name : order) {
            SetDefinition def = defs.get(name);
            int changed = 0;
            for (String secret : List.of(def.secretName(), SetDefinition.caSecretName(def.secretName()),
                SetDefinition.internalSecretName(def.secretName()))) {
                if (pending.containsKey(secret)) {
                    changed += stores.get(secret).write(pending.get(secret));
                }
            }
            StringBuilder line = new StringBuilder("KeystoreSet " + name + " -> " + dirs.get(name) + ": ");
            line.append(changed == 0 ? "unchanged" : changed + " file(s) written");
            for (SlotReport r : outcomes.get(name).slots().values()) {
                line.append("; ").append(r.slot().key()).append(' ').append(r.action().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" (").append(r.alias()).append(", ").append(r.keyAlgorithm()).append(", until ")
                    .append(r.notAfter()).append(')');
            }
            out.println(line);
            outcomes.get(name).notices().forEach(n -> out.println("  " + n));
        }
        return renderBundles(manifests, source, outDir, single);
    }

    /** Each TrustBundle into its directory (the directory itself when it is the only resource). */
    private int renderBundles(Manifests manifests, InputSource source, Path outDir, boolean single) throws IOException {
        Map<TrustBundle, TrustAssembly.Result> results = new LinkedHashMap<>();
        for (TrustBundle bundle : manifests.trustBundles()) {
            String name = bundle.getMetadata().getName();
            Path dir = single ? outDir : outDir.resolve(name);
            try {
                String password = null;
                var ref = bundle.getSpec() == null || bundle.getSpec().target == null ? null
                    : bundle.getSpec().target.passwordSecretRef;
                if (ref != null) {
                    String key = ref.key == null ? "password" : ref.key;
                    byte[] value = source.secret(ref.name).map(d -> d.get(key)).orElseThrow(() -> new Problem(
                        Problem.MISSING_INPUT, "Secret " + ref.name + " key " + key
                        + " (spec.target.passwordSecretRef) is not in the input files").raise());
                    password = new String(value, java.nio.charset.StandardCharsets.UTF_8).strip();
                }
                results.put(bundle, TrustAssembly.assemble(bundle, Inputs.trustedCertificates(bundle, source),
                    bundleStore(dir, bundle).read().orElse(Map.of()), password, clock.instant(), random));
            } catch (Problem.Raised e) {
                err.println("error: TrustBundle " + name + ": " + e.problem().message());
                return 1;
            }
        }
        for (var e : results.entrySet()) {
            String name = e.getKey().getMetadata().getName();
            Path dir = single ? outDir : outDir.resolve(name);
            int changed = bundleStore(dir, e.getKey()).write(e.getValue().output());
            out.println("TrustBundle " + name + " -> " + dir + ": " + (changed == 0 ? "unchanged" : changed + " file(s) written")
                + "; " + e.getValue().entries().size() + " certificate(s)"
                + (e.getValue().expiringSoon().isEmpty() ? "" : "; expired or expiring within 30 days: " + e.getValue().expiringSoon()));
        }
        return 0;
    }

    private static DirectoryStore bundleStore(Path dir, TrustBundle bundle) {
        return new DirectoryStore(dir, dir.resolve(STATE_DIR).resolve(TrustAssembly.targetSecret(bundle) + ".files"));
    }

    /** Sets ordered so that a set comes after the set whose CA it signs with. */
    private static List<String> issuerOrder(Map<String, SetDefinition> defs) {
        List<String> order = new ArrayList<>();
        for (String name : defs.keySet()) {
            visit(name, defs, order, new ArrayList<>());
        }
        return order;
    }

    private static void visit(String name, Map<String, SetDefinition> defs, List<String> order, List<String> path) {
        if (order.contains(name) || path.contains(name) || !defs.containsKey(name)) {
            return;
        }
        path.add(name);
        SetDefinition def = defs.get(name);
        if (def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.KEYSTORE_SET) {
            visit(def.issuer().reference(), defs, order, path);
        }
        order.add(name);
    }
}
