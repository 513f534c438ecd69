package dev.keystore.operator.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code inspect <path>... [--secret NAME [-n NS]]}: what JKS, PKCS12 and PEM files, directories of
 * them and Secrets hold, and what is wrong with them for the product that will use them. Passwords
 * come from a file, an environment variable, a {@code password} file beside the store or the
 * Secret's {@code password} key, never from the command line. A store's role (what the product uses
 * it for) is {@code --role}, else what a product configuration beside it says (deployment.toml,
 * zowe-certificates.env, server.xml), else what its file name says. Exit codes: 0 no error, 1 at
 * least one ERROR finding, 2 an input (or the command line) cannot be read.
 */
public final class InspectCommand {
    static final String USAGE = "usage: inspect <path>... [--secret NAME [-n NAMESPACE]]"
        + " [--password-file FILE | --password-env VAR] [--truststore PATH] [--profile wso2|zowe|liberty]"
        + " [--role primary|tls|internal|truststore] [-o text|json]";
    /** Larger files are not keystores; a directory scan passes over them. */
    static final int MAX_BYTES = 8 << 20;
    private static final List<String> STORE_EXTENSIONS = List.of(".jks", ".p12", ".pfx", ".pkcs12", ".pem", ".crt",
        ".cer", ".key");

    /** Reads a Secret's data; a null namespace means the kubeconfig's current one. */
    @FunctionalInterface
    public interface SecretReader {
        Optional<SecretData> read(String namespace, String name) throws IOException;
    }

    /** A Secret's decoded data, with the namespace it was read from. */
    public record SecretData(String namespace, String name, Map<String, byte[]> data) {
    }

    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> environment;
    private final SecretReader secrets;

    public InspectCommand(Clock clock, PrintStream out, PrintStream err, Function<String, String> environment,
                          SecretReader secrets) {
        this.clock = clock;
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.secrets = secrets;
    }

    private record Options(List<String> paths, List<String> secrets, String namespace, String passwordFile,
                           String passwordEnv, String truststore, Profile profile, Role role, boolean json) {
    }

    public int run(String... args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (options == null) {
            out.println(USAGE);
            return 0;
        }
        Password explicit;
        try {
            explicit = explicitPassword(options);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        List<StoreReport> reports = new ArrayList<>();
        List<Anchor> anchors = new ArrayList<>();
        if (options.truststore() != null) {
            Path path = Path.of(options.truststore());
            try {
                anchors.addAll(Inspection.anchorsOf(file(path, options.truststore()), passwordFor(explicit, path)));
            } catch (Inspection.Unreadable e) {
                reports.add(e.report());
            } catch (IOException e) {
                reports.add(StoreReport.unreadable(options.truststore(), null, "cannot be read (" + e.getMessage() + ")"));
            }
        }
        Inspection inspection = new Inspection(options.profile(), clock.instant(), anchors);
        for (String given : options.paths()) {
            reports.addAll(inspectPath(given, explicit, inspection, options.role()));
        }
        for (String name : options.secrets()) {
            reports.addAll(inspectSecret(options.namespace(), name, explicit, inspection, options.role()));
        }
        InspectReport report = InspectReport.of(options.profile(), clock.instant().toString(), reports);
        for (StoreReport store : reports) {
            if (store.unreadable() != null) {
                err.println("error: " + store.source() + ": " + store.unreadable());
            }
        }
        out.print(options.json() ? json(report) : TextReport.render(report));
        return report.summary().exitCode();
    }

    /** The parsed options; null when help was asked for. */
    private static Options parse(String... args) {
        List<String> paths = new ArrayList<>();
        List<String> secretNames = new ArrayList<>();
        String namespace = null;
        String passwordFile = null;
        String passwordEnv = null;
        String truststore = null;
        Profile profile = Profile.NONE;
        Role role = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--secret" -> secretNames.add(value(args, ++i, a));
                case "-n", "--namespace" -> namespace = value(args, ++i, a);
                case "--password-file" -> passwordFile = value(args, ++i, a);
                case "--password-env" -> passwordEnv = value(args, ++i, a);
                case "--truststore" -> truststore = value(args, ++i, a);
                case "--profile" -> {
                    String name = value(args, ++i, a);
                    profile = Profile.parse(name).orElseThrow(() -> new IllegalArgumentException(
                        "unknown profile '" + name + "' (wso2, zowe or liberty)"));
                }
                case "--role" -> {
                    String name = value(args, ++i, a);
                    role = Role.parse(name).orElseThrow(() -> new IllegalArgumentException(
                        "unknown role '" + name + "' (primary, tls, internal or truststore)"));
                }
                case "-o", "--output" -> {
                    String format = value(args, ++i, a);
                    if (!format.equals("json") && !format.equals("text")) {
                        throw new IllegalArgumentException("unknown output '" + format + "' (text or json)");
                    }
                    json = format.equals("json");
                }
                case "-p", "--password", "--storepass", "-storepass" -> throw new IllegalArgumentException(
                    "a password is never given on the command line: use --password-file FILE or --password-env VAR");
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    }
                    paths.add(a);
                }
            }
        }
        if (paths.isEmpty() && secretNames.isEmpty()) {
            throw new IllegalArgumentException("name a file, a directory or --secret NAME");
        }
        if (passwordFile != null && passwordEnv != null) {
            throw new IllegalArgumentException("give --password-file or --password-env, not both");
        }
        return new Options(paths, secretNames, namespace, passwordFile, passwordEnv, truststore, profile, role, json);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private Password explicitPassword(Options options) {
        if (options.passwordEnv() != null) {
            String value = environment.apply(options.passwordEnv());
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + options.passwordEnv() + " is not set");
            }
            return new Password(value, "--password-env " + options.passwordEnv());
        }
        if (options.passwordFile() != null) {
            try {
                return new Password(Files.readString(Path.of(options.passwordFile())).strip(),
                    "--password-file " + options.passwordFile());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --password-file " + options.passwordFile());
            }
        }
        return null;
    }

    /** The explicit password, else the file named {@code password} beside the store, else none. */
    private static Password passwordFor(Password explicit, Path store) {
        return explicit != null ? explicit : passwordIn(store.resolveSibling("password"));
    }

    private static Password passwordIn(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return new Password(Files.readString(file).strip(), file.toString());
        } catch (IOException e) {
            return null;
        }
    }

    private static StoreFile file(Path path, String source) throws IOException {
        if (Files.size(path) > MAX_BYTES) {
            throw new IOException("larger than 8 MiB");
        }
        return new StoreFile(source, path.getFileName().toString(), Files.readAllBytes(path));
    }

    /**
     * The product configurations in {@code dir} (and WSO2's {@code repository/conf/deployment.toml}
     * when {@code dir} is its {@code repository/resources/security}); one that cannot be read is
     * said on stderr and left out.
     */
    private List<ProductConfig> configsIn(Path dir) {
        List<Path> candidates = new ArrayList<>();
        ProductConfig.NAMES.stream().sorted().forEach(n -> candidates.add(dir.resolve(n)));
        Path absolute = dir.toAbsolutePath().normalize();
        if (absolute.endsWith(Path.of("resources", "security")) && absolute.getParent().getParent() != null) {
            candidates.add(absolute.getParent().getParent().resolve("conf").resolve(ProductConfig.WSO2));
        }
        List<ProductConfig> configs = new ArrayList<>();
        for (Path candidate : candidates) {
            try {
                if (Files.isRegularFile(candidate) && Files.size(candidate) <= MAX_BYTES) {
                    configs.add(ProductConfig.read(candidate.toString(), candidate.getFileName().toString(),
                        Files.readAllBytes(candidate)));
                }
            } catch (ProductConfig.Unreadable | IOException e) {
                err.println("warning: " + candidate + " " + e.getMessage() + "; roles come from file names");
            }
        }
        return configs;
    }

    private List<StoreReport> inspectPath(String given, Password explicit, Inspection inspection, Role role) {
        Path path = Path.of(given);
        if (!Files.exists(path)) {
            return List.of(StoreReport.unreadable(given, null, "does not exist"));
        }
        if (!Files.isDirectory(path)) {
            Path dir = path.toAbsolutePath().getParent();
            StoreRoles roles = new StoreRoles(role, role != null || dir == null ? List.of() : configsIn(dir));
            try {
                return inspection.inspect(List.of(file(path, given)), passwordFor(explicit, path), roles);
            } catch (IOException e) {
                return List.of(StoreReport.unreadable(given, null, "cannot be read (" + e.getMessage() + ")"));
            }
        }
        List<StoreFile> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(path)) {
            for (Path f : listing.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(f) || Files.size(f) > MAX_BYTES) {
                    continue;
                }
                StoreFile file = file(f, f.toString());
                if (Inspection.formatOf(file.bytes()).isPresent() || storeName(name)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            return List.of(StoreReport.unreadable(given, null, "cannot be read (" + e.getMessage() + ")"));
        }
        if (files.isEmpty()) {
            return List.of(StoreReport.unreadable(given, null, "holds no keystore, truststore or PEM file"));
        }
        return inspection.inspect(files, explicit != null ? explicit : passwordIn(path.resolve("password")),
            new StoreRoles(role, role != null ? List.of() : configsIn(path)));
    }

    private List<StoreReport> inspectSecret(String namespace, String name, Password explicit, Inspection inspection,
                                            Role role) {
        String label = "Secret " + (namespace == null ? "" : namespace + "/") + name;
        Optional<SecretData> secret;
        try {
            secret = secrets.read(namespace, name);
        } catch (IOException e) {
            return List.of(StoreReport.unreadable(label, null, "cannot be read (" + e.getMessage() + ")"));
        }
        if (secret.isEmpty()) {
            return List.of(StoreReport.unreadable(label, null, "does not exist"));
        }
        String where = "Secret " + secret.get().namespace() + "/" + secret.get().name();
        Map<String, byte[]> data = new java.util.TreeMap<>(secret.get().data());
        Password password = explicit;
        if (password == null && data.containsKey("password")) {
            password = new Password(new String(data.get("password"), StandardCharsets.UTF_8).strip(),
                where + " key password");
        }
        List<StoreFile> files = new ArrayList<>();
        List<ProductConfig> configs = new ArrayList<>();
        data.forEach((key, bytes) -> {
            if (ProductConfig.isConfig(key)) {
                try {
                    configs.add(ProductConfig.read(where + " key " + key, key, bytes));
                } catch (ProductConfig.Unreadable e) {
                    err.println("warning: " + where + " key " + key + " " + e.getMessage() + "; roles come from file names");
                }
            } else if (Inspection.formatOf(bytes).isPresent() || storeName(key)) {
                files.add(new StoreFile(where + " key " + key, key, bytes));
            }
        });
        if (files.isEmpty()) {
            return List.of(StoreReport.unreadable(where, null, "holds no keystore, truststore or PEM key"));
        }
        return inspection.inspect(files, password, new StoreRoles(role, role != null ? List.of() : configs));
    }

    private static boolean storeName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return STORE_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static String json(InspectReport report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
