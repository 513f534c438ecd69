package dev.keystore.operator.render;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.config.Snippets;
import dev.keystore.operator.crypto.ForecastKeys;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.plan.BundleDefinition;
import dev.keystore.operator.plan.InputSource;
import dev.keystore.operator.plan.ExternalSigning;
import dev.keystore.operator.plan.Inputs;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.RecordRole;
import dev.keystore.operator.plan.SetDefinition;
import dev.keystore.operator.plan.SlotDefinition;
import dev.keystore.operator.plan.SlotReport;
import dev.keystore.operator.plan.TrustAssembly;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code render -f <yaml> [-f <yaml>...] -o <dir>}: writes what the operator would put in each
 * KeystoreSet's and TrustBundle's Secrets into a directory, without a cluster. Every resource is
 * computed first and the files are then written together, or not at all. Exit codes: 0 done, 1 bad
 * input, 2 bad usage.
 *
 * <p>Layout: one resource renders into {@code -o}, several each into {@code -o/<name>}. A set's
 * records (its CA and the key that must never change) live in
 * {@code -o/.keystore-operator/<namespace>/<name>/{ca,internal}/}, found by the set's identity
 * whatever its {@code secretName} is and however many resources the input holds.
 */
public final class RenderCommand {
    /** Where the Secrets besides the output one (CA and internal key record) are kept, and the manifests. */
    public static final String STATE_DIR = ".keystore-operator";
    static final String USAGE = "usage: render -f <file.yaml> [-f <file.yaml>...] -o <directory>";

    private final Clock clock;
    private final SecureRandom random;
    private final PrintStream out;
    private final PrintStream err;
    private final OutputTree.Step step;

    public RenderCommand(Clock clock, SecureRandom random, PrintStream out, PrintStream err) {
        this(clock, random, out, err, OutputTree.Step.NONE);
    }

    RenderCommand(Clock clock, SecureRandom random, PrintStream out, PrintStream err, OutputTree.Step step) {
        this.clock = clock;
        this.random = random;
        this.out = out;
        this.err = err;
        this.step = step;
    }

    /** A problem that stops the run; the message is the one line the user sees. */
    private static final class Stop extends Exception {
        Stop(String message) {
            super(message, null, false, false);
        }
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
            List<String> report = render(Manifests.read(files), new OutputTree(outDir, step));
            report.forEach(out::println);
            return 0;
        } catch (Manifests.BadManifest | Stop e) {
            err.println("error: " + e.getMessage());
        } catch (OutputTree.Refused e) {
            err.println("error: " + e.getMessage() + "; nothing was written");
        } catch (IOException e) {
            err.println("error: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + "; nothing was written");
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof OutputTree.Refused refused) {
                err.println("error: " + refused.getMessage() + "; nothing was written");
                return 1;
            }
            err.println("error: " + e.getCause().getClass().getSimpleName() + ": " + firstLine(e.getCause().getMessage())
                + "; nothing was written");
        } catch (RuntimeException | StackOverflowError e) {
            // a defect, not bad input: still one line, never a stack trace or a value from the input
            err.println("error: internal error (" + e.getClass().getSimpleName() + "); nothing was written");
        }
        return 1;
    }

    /** Where one set's Secrets are: its output directory and its records, by identity. */
    private record SetPlace(String namespace, SetDefinition def, Path outputDir, DirectoryStore output,
                            DirectoryStore ca, DirectoryStore internal, DirectoryStore otherLayoutOutput,
                            List<DirectoryStore> legacyCa, List<DirectoryStore> legacyInternal) {
    }

    private List<String> render(Manifests manifests, OutputTree tree) throws IOException, Stop {
        if (manifests.keystoreSets().isEmpty() && manifests.trustBundles().isEmpty()) {
            throw new Stop("the input holds no KeystoreSet or TrustBundle");
        }
        boolean single = manifests.keystoreSets().size() + manifests.trustBundles().size() == 1;
        Map<String, SetPlace> places = new LinkedHashMap<>();
        Map<String, String> claimed = new HashMap<>();
        for (KeystoreSet set : manifests.keystoreSets()) {
            String name = set.getMetadata().getName();
            String namespace = Manifests.namespace(set);
            SetDefinition def;
            try {
                def = SetDefinition.of(set);
            } catch (Problem.Raised e) {
                throw new Stop("KeystoreSet " + name + ": " + e.problem().message());
            }
            for (String secret : def.secrets().names()) {
                claim(claimed, namespace, secret, "KeystoreSet " + name, "spec.secretName");
            }
            places.put(name, place(tree, single, namespace, def));
        }
        for (TrustBundle bundle : manifests.trustBundles()) {
            claim(claimed, Manifests.namespace(bundle), BundleDefinition.targetSecret(bundle),
                "TrustBundle " + bundle.getMetadata().getName(), "spec.target.secretName");
        }

        Map<String, Map<String, byte[]>> pending = new LinkedHashMap<>();
        // a first render makes every key: forecast them, so that two are made at a time
        ForecastKeys keys = new ForecastKeys(forecast(places), KeySource.generating(random));
        Issuance issuance = new Issuance(new Signer(clock, random), keys);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        try {
            for (String name : issuerOrder(places)) {
                SetPlace place = places.get(name);
                SetDefinition def = place.def();
                try {
                    InputSource source = source(manifests, places, pending, place.namespace());
                    Outcome outcome = issuance.run(def, Inputs.gather(def, source, Map.of()), signed(tree, place, source));
                    outcomes.put(name, outcome);
                    // issuer.external before a slot's first signature: the output stays as it is, the CSRs go beside it
                    Map<String, byte[]> output = new LinkedHashMap<>(outcome.output() != null ? outcome.output()
                        : withoutCsrs(place.output().read().orElse(Map.of())));
                    if (outcome.output() != null) {
                        output.putAll(Snippets.files(def));
                    }
                    if (outcome.signing() != null) {
                        output.putAll(outcome.signing().csrs());
                        if (outcome.signing().blocking() != null) {
                            throw new Stop("KeystoreSet " + name + ": " + outcome.signing().blocking().message());
                        }
                    }
                    pending.put(Manifests.key(place.namespace(), def.secretName()), output);
                    if (outcome.caRecord() != null) {
                        pending.put(Manifests.key(place.namespace(), def.secrets().record(RecordRole.CA)),
                            outcome.caRecord());
                    }
                    if (outcome.internalRecord() != null) {
                        pending.put(Manifests.key(place.namespace(), def.secrets().record(RecordRole.INTERNAL)),
                            outcome.internalRecord());
                    }
                } catch (Problem.Raised e) {
                    throw new Stop("KeystoreSet " + name + ": " + e.problem().message());
                }
            }
        } finally {
            keys.close();
        }

        Map<TrustBundle, TrustAssembly.Result> bundles = new LinkedHashMap<>();
        for (TrustBundle bundle : manifests.trustBundles()) {
            String name = bundle.getMetadata().getName();
            InputSource source = source(manifests, places, pending, Manifests.namespace(bundle));
            try {
                BundleDefinition def = BundleDefinition.of(bundle);
                String password = def.referencedPassword(source);
                bundles.put(bundle, TrustAssembly.assemble(def, Inputs.trustedCertificates(bundle, source),
                    bundleStore(tree, single, bundle).read().orElse(Map.of()), password, clock.instant(), random));
            } catch (Problem.Raised e) {
                throw new Stop("TrustBundle " + name + ": " + e.problem().message());
            }
        }

        // everything is computed: plan every change, then write them together
        List<String> report = new ArrayList<>();
        for (var e : outcomes.entrySet()) {
            SetPlace place = places.get(e.getKey());
            SetDefinition def = place.def();
            int changed = place.output().plan(pending.get(Manifests.key(place.namespace(), def.secretName())));
            if (e.getValue().caRecord() != null) {
                changed += place.ca().plan(e.getValue().caRecord());
            }
            if (e.getValue().internalRecord() != null) {
                changed += place.internal().plan(e.getValue().internalRecord());
            }
            StringBuilder line = new StringBuilder("KeystoreSet " + e.getKey() + " -> " + place.outputDir() + ": ");
            line.append(changed == 0 ? "unchanged" : changed + " file(s) written");
            var signing = e.getValue().signing();
            if (signing != null) {
                signing.waiting().keySet().forEach(slot -> line.append("; ").append(slot.key()).append(" awaiting signature ("
                    + place.outputDir().resolve(ExternalSigning.csrKey(slot)) + ")"));
                signing.refusedWhileInUse().forEach(p -> report.add("  refused: " + p.message()));
            }
            for (SlotReport r : e.getValue().slots().values()) {
                line.append("; ").append(r.slot().key()).append(' ').append(r.action().name().toLowerCase(Locale.ROOT))
                    .append(" (").append(r.alias()).append(", ").append(r.keyAlgorithm()).append(", until ")
                    .append(r.notAfter()).append(')');
            }
            report.add(line.toString());
            e.getValue().messages().forEach(n -> report.add("  " + n));
        }
        for (var e : bundles.entrySet()) {
            DirectoryStore store = bundleStore(tree, single, e.getKey());
            int changed = store.plan(e.getValue().output());
            report.add("TrustBundle " + e.getKey().getMetadata().getName() + " -> " + store.path() + ": "
                + (changed == 0 ? "unchanged" : changed + " file(s) written")
                + "; " + e.getValue().entries().size() + " certificate(s)"
                + (e.getValue().expiringSoon().isEmpty() ? "" : "; expired or expiring within 30 days: "
                + e.getValue().expiringSoon()));
        }
        tree.commit();
        return report;
    }

    /** Where render reads signed certificates: {@code <dir>/signed/<slot>.crt}. */
    public static final String SIGNED_DIR = "signed";

    /**
     * issuer.external: the certificateSecretRef Secret as a document of the input, with the files in
     * {@code <dir>/signed/} over it; null when there is neither.
     */
    private static Map<String, byte[]> signed(OutputTree tree, SetPlace place, InputSource source) throws IOException {
        if (place.def().issuer().kind() != SetDefinition.IssuerDefinition.Kind.EXTERNAL) {
            return null;
        }
        Map<String, byte[]> replies = source.secret(place.def().issuer().reference()).map(LinkedHashMap::new).orElse(null);
        for (var slot : place.def().slots().keySet()) {
            Optional<byte[]> file = tree.readFile(tree.resolve(place.outputDir(), SIGNED_DIR, ExternalSigning.replyKey(slot)));
            if (file.isPresent()) {
                if (replies == null) {
                    replies = new LinkedHashMap<>();
                }
                replies.put(ExternalSigning.replyKey(slot), file.get());
            }
        }
        return replies;
    }

    private static Map<String, byte[]> withoutCsrs(Map<String, byte[]> output) {
        Map<String, byte[]> kept = new LinkedHashMap<>(output);
        for (var slot : dev.keystore.operator.plan.SlotName.values()) {
            kept.remove(ExternalSigning.csrKey(slot));
        }
        return kept;
    }

    /** Two resources of one namespace that would write the same Secret are refused. */
    private static void claim(Map<String, String> claimed, String namespace, String secret, String by, String field)
        throws Stop {
        String before = claimed.putIfAbsent(Manifests.key(namespace, secret), by);
        if (before != null) {
            throw new Stop(by + ": " + field + ": Duplicate value: \"" + secret + "\": " + before
                + " in namespace " + namespace + " already writes the Secret " + secret);
        }
    }

    private static SetPlace place(OutputTree tree, boolean single, String namespace, SetDefinition def)
        throws OutputTree.Refused {
        Path dir = single ? tree.root() : tree.resolve(def.name());
        Path records = tree.resolve(STATE_DIR, namespace, def.name());
        String ca = def.secrets().record(RecordRole.CA);
        String internal = def.secrets().record(RecordRole.INTERNAL);
        // the layouts before records were kept by identity: read (and copied forward), never removed
        Path singleLayout = tree.resolve(STATE_DIR);
        Path severalLayout = tree.resolve(def.name(), STATE_DIR);
        // the output as the other layout wrote it (the input had one resource and now has several, or
        // the other way round): only the files listed in its manifest, read when this layout has none
        Path other = single ? tree.resolve(def.name()) : tree.root();
        return new SetPlace(namespace, def, dir,
            new DirectoryStore(tree, dir, tree.resolve(dir, STATE_DIR, def.secretName() + ".files"), false),
            new DirectoryStore(tree, tree.resolve(records, "ca"), tree.resolve(records, "ca.files"), true),
            new DirectoryStore(tree, tree.resolve(records, "internal"), tree.resolve(records, "internal.files"), true),
            new DirectoryStore(tree, other, tree.resolve(other, STATE_DIR, def.secretName() + ".files"), true),
            List.of(legacy(tree, singleLayout, ca), legacy(tree, severalLayout, ca)),
            List.of(legacy(tree, singleLayout, internal), legacy(tree, severalLayout, internal)));
    }

    private static DirectoryStore legacy(OutputTree tree, Path stateDir, String secret) throws OutputTree.Refused {
        return new DirectoryStore(tree, tree.resolve(stateDir, secret), tree.resolve(stateDir, secret + ".files"), false);
    }

    private static DirectoryStore bundleStore(OutputTree tree, boolean single, TrustBundle bundle) throws OutputTree.Refused {
        Path dir = single ? tree.root() : tree.resolve(bundle.getMetadata().getName());
        return new DirectoryStore(tree, dir, tree.resolve(dir, STATE_DIR, BundleDefinition.targetSecret(bundle) + ".files"), false);
    }

    /**
     * What a run in {@code namespace} sees: what this run computed so far, then the directories
     * that stand for the sets' Secrets, then the Secret and ConfigMap documents of that namespace.
     */
    private static InputSource source(Manifests manifests, Map<String, SetPlace> places,
                                      Map<String, Map<String, byte[]>> pending, String namespace) {
        return new InputSource() {
            @Override
            public Optional<Map<String, byte[]>> secret(String name) {
                String key = Manifests.key(namespace, name);
                if (pending.containsKey(key)) {
                    return Optional.of(pending.get(key));
                }
                try {
                    for (SetPlace place : places.values()) {
                        if (!place.namespace().equals(namespace)) {
                            continue;
                        }
                        String secretName = place.def().secretName();
                        Optional<Map<String, byte[]>> found = Optional.empty();
                        if (name.equals(secretName)) {
                            found = first(place.output(), List.of(place.otherLayoutOutput()));
                        } else if (name.equals(place.def().secrets().record(RecordRole.CA))) {
                            found = first(place.ca(), place.legacyCa());
                        } else if (name.equals(place.def().secrets().record(RecordRole.INTERNAL))) {
                            found = first(place.internal(), place.legacyInternal());
                        }
                        if (found.isPresent()) {
                            return found;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Optional.ofNullable(manifests.secrets().get(key));
            }

            @Override
            public Optional<KeystoreSet> keystoreSet(String name) {
                return manifests.keystoreSets().stream().filter(s -> s.getMetadata().getName().equals(name)
                    && Manifests.namespace(s).equals(namespace)).findFirst();
            }

            @Override
            public Optional<Map<String, byte[]>> configMap(String name) {
                return Optional.ofNullable(manifests.configMaps().get(Manifests.key(namespace, name)));
            }

            @Override
            public Optional<TrustBundle> trustBundle(String name) {
                return manifests.trustBundles().stream().filter(b -> b.getMetadata().getName().equals(name)
                    && Manifests.namespace(b).equals(namespace)).findFirst();
            }
        };
    }

    private static Optional<Map<String, byte[]>> first(DirectoryStore current, List<DirectoryStore> legacy)
        throws IOException {
        Optional<Map<String, byte[]>> found = current.read();
        for (int i = 0; found.isEmpty() && i < legacy.size(); i++) {
            found = legacy.get(i).read();
        }
        return found;
    }

    /**
     * The key pairs a first render of these sets makes, in the order it makes them: for a set with
     * nothing on disk (no output, no records in any layout), its self-signed CA's and each generated
     * slot's. A set that has anything already (a re-render) is forecast nothing: its keys are kept
     * or the plan asks for the few it needs. A forecast only decides what is made ahead, never which
     * keys are written.
     */
    private static List<KeyType> forecast(Map<String, SetPlace> places) {
        List<KeyType> keys = new ArrayList<>();
        for (String name : issuerOrder(places)) {
            SetPlace place = places.get(name);
            if (!nothingOnDisk(place)) {
                continue;
            }
            SetDefinition def = place.def();
            if (def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.SELF_SIGNED) {
                keys.add(def.issuer().keyType());
            }
            for (SlotDefinition slot : def.slots().values()) {
                if (!slot.imported()) {
                    keys.add(slot.keyType());
                }
            }
        }
        return keys;
    }

    private static boolean nothingOnDisk(SetPlace place) {
        List<DirectoryStore> stores = new ArrayList<>(List.of(place.output(), place.otherLayoutOutput(), place.ca(),
            place.internal()));
        stores.addAll(place.legacyCa());
        stores.addAll(place.legacyInternal());
        try {
            for (DirectoryStore store : stores) {
                if (store.read().isPresent()) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the render itself reads them again and says what is wrong
        }
    }

    /** Sets ordered so that a set comes after the set whose CA it signs with. */
    private static List<String> issuerOrder(Map<String, SetPlace> places) {
        List<String> order = new ArrayList<>();
        for (String name : places.keySet()) {
            visit(name, places, order, new ArrayList<>());
        }
        return order;
    }

    private static void visit(String name, Map<String, SetPlace> places, List<String> order, List<String> path) {
        if (order.contains(name) || path.contains(name) || !places.containsKey(name)) {
            return;
        }
        path.add(name);
        SetDefinition def = places.get(name).def();
        if (def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.KEYSTORE_SET) {
            visit(def.issuer().reference(), places, order, path);
        }
        order.add(name);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
