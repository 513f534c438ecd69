package dev.keystore.operator.inspect;

import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.ListedEntry;
import dev.keystore.operator.keystore.StoreType;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the files inspected together (a directory, a Secret, or one file) and judges them: the
 * truststores among them and {@code --truststore} are what chains are verified against.
 */
final class Inspection {
    private final Profile profile;
    private final Instant now;
    private final List<Anchor> extraAnchors;

    Inspection(Profile profile, Instant now, List<Anchor> extraAnchors) {
        this.profile = profile;
        this.now = now;
        this.extraAnchors = List.copyOf(extraAnchors);
    }

    static final String PEM = "PEM";
    /** One DER certificate, as {@code keytool -exportcert} writes it (the seeds' {@code .cer} files). */
    static final String DER = "DER";

    /** What a file holds, by its bytes: JKS, PKCS12, PEM or a DER certificate; empty for anything else. */
    static Optional<String> formatOf(byte[] bytes) {
        if (bytes.length >= 4 && KeystoreCodec.detect(bytes) == StoreType.JKS) {
            return Optional.of(StoreType.JKS.name());
        }
        if (new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
            return Optional.of(PEM);
        }
        if (Pkcs12Protection.of(bytes).isPresent()) {
            return Optional.of(StoreType.PKCS12.name());
        }
        return derCertificate(bytes).map(c -> DER);
    }

    private static Optional<X509Certificate> derCertificate(byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != 0x30) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.certificate(bytes)); // nesting bounded first
        } catch (Pem.PemException e) {
            return Optional.empty();
        }
    }

    /** A file read, or the one line saying why it could not be. */
    private record Attempt(OpenedStore store, StoreReport unreadable) {
    }

    /** The report of each file, in the order given. */
    List<StoreReport> inspect(List<StoreFile> files, Password password) {
        return inspect(files, password, StoreRoles.BY_NAME);
    }

    List<StoreReport> inspect(List<StoreFile> files, Password password, StoreRoles storeRoles) {
        Set<Role> inGroup = storeRoles.configured();
        files.forEach(f -> inGroup.addAll(storeRoles.of(f.name()).roles()));
        List<Attempt> attempts = new ArrayList<>();
        List<Anchor> anchors = new ArrayList<>(extraAnchors);
        List<X509Certificate> known = new ArrayList<>();
        for (StoreFile file : files) {
            OpenedStore store;
            try {
                store = open(file, password, Role.of(storeRoles.of(file.name()).roles(), profile, inGroup));
            } catch (Unreadable e) {
                attempts.add(new Attempt(null, e.report()));
                continue;
            }
            attempts.add(new Attempt(store, null));
            for (Entry e : store.entries()) {
                known.addAll(e.chain());
                if (e.kind() == Entry.Kind.TRUSTED_CERTIFICATE && store.roles().contains(Role.TRUSTSTORE)) {
                    anchors.add(new Anchor(e.leaf(), file.name() + " [" + e.alias() + "]"));
                }
            }
        }
        Rules rules = new Rules(profile, now);
        List<StoreReport> reports = new ArrayList<>();
        for (Attempt attempt : attempts) {
            if (attempt.store() == null) {
                reports.add(attempt.unreadable());
                continue;
            }
            OpenedStore o = judged(attempt.store(), anchors, known);
            reports.add(new StoreReport(o.file().source(), o.format(), o.roles().stream().sorted().map(Role::key).toList(),
                storeRoles.of(o.file().name()).from(), o.protection(), o.entries().stream().map(e -> EntryReport.of(e, now)).toList(), rules.check(o), null));
        }
        return reports;
    }

    /** The certificates of a truststore given with {@code --truststore}. */
    static List<Anchor> anchorsOf(StoreFile file, Password password) throws Unreadable {
        List<Anchor> anchors = new ArrayList<>();
        for (Entry e : open(file, password, Set.of(Role.TRUSTSTORE)).entries()) {
            for (X509Certificate c : e.chain()) {
                anchors.add(new Anchor(c, file.source() + (e.alias() == null ? "" : " [" + e.alias() + "]")));
            }
        }
        return anchors;
    }

    private static OpenedStore judged(OpenedStore store, List<Anchor> groupAnchors, List<X509Certificate> known) {
        List<Anchor> anchors = new ArrayList<>(groupAnchors);
        for (Entry e : store.entries()) {
            if (e.kind() == Entry.Kind.TRUSTED_CERTIFICATE && !store.roles().contains(Role.TRUSTSTORE)) {
                anchors.add(new Anchor(e.leaf(), store.file().name() + " [" + e.alias() + "]"));
            }
        }
        List<Entry> entries = store.entries().stream().map(e -> e.chain().isEmpty()
            || e.kind() == Entry.Kind.TRUSTED_CERTIFICATE ? e : e.withVerdict(ChainVerdict.of(e.chain(), anchors, known)))
            .toList();
        return new OpenedStore(store.file(), store.format(), store.roles(), store.protection(), entries);
    }

    /** Why a file cannot be read, in one line, as the report that stands for it. */
    static final class Unreadable extends Exception {
        private final transient StoreReport report;

        Unreadable(StoreFile file, String format, String why) {
            super(why);
            this.report = StoreReport.unreadable(file.source(), format, why);
        }

        StoreReport report() {
            return report;
        }
    }

    private static OpenedStore open(StoreFile file, Password password, Set<Role> roles) throws Unreadable {
        Optional<String> format = formatOf(file.bytes());
        if (format.isEmpty()) {
            throw new Unreadable(file, null, "is not a JKS, PKCS12, PEM or DER certificate file");
        }
        if (format.get().equals(PEM)) {
            return pem(file, roles);
        }
        if (format.get().equals(DER)) {
            return certificates(file, DER, roles, derCertificate(file.bytes()).map(List::of).orElseThrow());
        }
        StoreType type = StoreType.valueOf(format.get());
        if (password == null) {
            throw new Unreadable(file, type.name(), "no password: give --password-file or "
                + "--password-env (or keep a file named password beside it, a key named password in its Secret)");
        }
        List<ListedEntry> listed;
        try {
            listed = KeystoreCodec.list(type, file.bytes(), password.value().toCharArray());
        } catch (KeystoreCodec.UnreadableKeystore e) {
            String why = e.getMessage().equals("password is wrong") ? "the store password is wrong" : e.getMessage();
            throw new Unreadable(file, type.name(), why + " (" + password + ")");
        }
        List<Entry> entries = new ArrayList<>();
        for (ListedEntry l : listed) {
            Entry.Kind kind = switch (l.kind()) {
                case PRIVATE_KEY -> Entry.Kind.PRIVATE_KEY;
                case SECRET_KEY -> Entry.Kind.SECRET_KEY;
                case TRUSTED_CERTIFICATE -> Entry.Kind.TRUSTED_CERTIFICATE;
            };
            X509Certificate leaf = l.chain().isEmpty() ? null : l.chain().get(0);
            entries.add(new Entry(l.alias(), kind, l.chain(), kind == Entry.Kind.TRUSTED_CERTIFICATE ? null
                : l.keyOpensWithStorePassword(), leaf == null ? null : leaf.getPublicKey().getAlgorithm(),
                leaf == null ? 0 : KeyType.bits(leaf.getPublicKey()), null));
        }
        Pkcs12Protection protection = type == StoreType.PKCS12 ? Pkcs12Protection.of(file.bytes()).orElse(null) : null;
        return new OpenedStore(file, type.name(), roles, protection, entries);
    }

    private static OpenedStore pem(StoreFile file, Set<Role> roles) throws Unreadable {
        List<X509Certificate> certificates;
        Optional<PrivateKey> key;
        try {
            certificates = Pem.certificatesIn(file.bytes());
            key = Pem.privateKeyIn(file.bytes());
        } catch (Pem.PemException e) {
            throw new Unreadable(file, PEM, e.getMessage());
        }
        String text = new String(file.bytes(), StandardCharsets.ISO_8859_1);
        boolean encryptedKey = key.isEmpty() && (text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED"));
        if (key.isPresent() || encryptedKey) {
            return new OpenedStore(file, PEM, roles, null, List.of(new Entry(null, Entry.Kind.PEM_KEY, certificates, null,
                key.map(PrivateKey::getAlgorithm).orElse("encrypted"), key.map(KeyType::bits).orElse(0), null)));
        }
        if (certificates.isEmpty()) {
            throw new Unreadable(file, PEM, "holds no certificate or private key");
        }
        return certificates(file, PEM, roles, certificates);
    }

    /**
     * Certificates without a key: trusted certificates in a truststore (or when they are all CAs),
     * else a chain to judge (a {@code tls.crt}).
     */
    private static OpenedStore certificates(StoreFile file, String format, Set<Role> roles,
                                            List<X509Certificate> certificates) {
        List<Entry> entries = new ArrayList<>();
        if (roles.contains(Role.TRUSTSTORE)
            || (!roles.contains(Role.TLS) && certificates.stream().allMatch(c -> c.getBasicConstraints() >= 0))) {
            for (int i = 0; i < certificates.size(); i++) {
                X509Certificate c = certificates.get(i);
                entries.add(new Entry("#" + (i + 1), Entry.Kind.TRUSTED_CERTIFICATE, List.of(c), null,
                    c.getPublicKey().getAlgorithm(), KeyType.bits(c.getPublicKey()), null));
            }
        } else {
            X509Certificate leaf = certificates.get(0);
            entries.add(new Entry(null, Entry.Kind.PEM_CHAIN, certificates, null, leaf.getPublicKey().getAlgorithm(),
                KeyType.bits(leaf.getPublicKey()), null));
        }
        return new OpenedStore(file, format, roles, null, entries);
    }
}
