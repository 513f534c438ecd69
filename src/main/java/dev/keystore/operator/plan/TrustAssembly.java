package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustFormat;
import dev.keystore.operator.crypto.Fingerprints;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.Aliases;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.Passwords;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A TrustBundle's output: its certificates, deduplicated and aliased, in the requested formats. */
public final class TrustAssembly {
    public static final String PKCS12_FILE = "truststore.p12";
    public static final String JKS_FILE = "truststore.jks";
    public static final String PEM_FILE = "ca-bundle.pem";
    public static final Duration EXPIRING_SOON = Duration.ofDays(30);

    /** One certificate of the bundle, for status. */
    public record Entry(String alias, String subject, Instant notAfter, String sha256Fingerprint) {
    }

    /** @param pem every certificate of the bundle as PEM (what a ca-bundle.pem ConfigMap holds) */
    public record Result(Map<String, byte[]> output, List<Entry> entries, List<String> expiringSoon, byte[] pem) {
    }

    private TrustAssembly() {
    }

    /** The same, checking the bundle first ({@link BundleDefinition#of}). */
    public static Result assemble(TrustBundle bundle, List<X509Certificate> certificates, Map<String, byte[]> existing,
                                  String referencedPassword, Instant now, SecureRandom random) throws Problem.Raised {
        return assemble(BundleDefinition.of(bundle), certificates, existing, referencedPassword, now, random);
    }

    /**
     * @param referencedPassword from target.passwordSecretRef, or null to generate (and keep) one
     */
    public static Result assemble(BundleDefinition bundle, List<X509Certificate> certificates, Map<String, byte[]> existing,
                                  String referencedPassword, Instant now, SecureRandom random) throws Problem.Raised {
        boolean excludeExpired = bundle.excludeExpired();
        List<X509Certificate> unique = Fingerprints.distinct(certificates.stream()
            .filter(c -> !excludeExpired || now.isBefore(c.getNotAfter().toInstant())).toList());
        if (unique.isEmpty()) {
            throw new Problem(Problem.BAD_INPUT, "TrustBundle " + bundle.name()
                + " has no certificate" + (excludeExpired ? " that has not expired" : "")).raise();
        }
        List<StoreEntry.TrustedEntry> entries = Aliases.assign(unique);
        List<TrustFormat> formats = bundle.formats();
        Map<String, byte[]> output = new LinkedHashMap<>();
        boolean stores = formats.contains(TrustFormat.PKCS12) || formats.contains(TrustFormat.JKS);
        String password = null;
        if (stores) {
            password = referencedPassword != null ? referencedPassword
                : existing.get("password") != null && existing.get("password").length > 0
                ? new String(existing.get("password"), StandardCharsets.UTF_8) : Passwords.generate(random);
        }
        StoreContent content = new StoreContent(new ArrayList<>(entries));
        if (formats.contains(TrustFormat.PKCS12)) {
            output.put(PKCS12_FILE, KeystoreCodec.encodeKeeping(existing.get(PKCS12_FILE), StoreType.PKCS12, content,
                password.toCharArray(), bundle.pkcs12Profile()));
        }
        if (formats.contains(TrustFormat.JKS)) {
            output.put(JKS_FILE, KeystoreCodec.encodeKeeping(existing.get(JKS_FILE), StoreType.JKS, content,
                password.toCharArray()));
        }
        byte[] pem = Pem.encode(entries.stream().map(StoreEntry.TrustedEntry::certificate).toList())
            .getBytes(StandardCharsets.UTF_8);
        if (formats.contains(TrustFormat.PEM)) {
            output.put(PEM_FILE, pem);
        }
        if (stores && referencedPassword == null) {
            output.put("password", password.getBytes(StandardCharsets.UTF_8));
        }
        List<Entry> report = new ArrayList<>();
        List<String> expiring = new ArrayList<>();
        for (StoreEntry.TrustedEntry e : entries) {
            X509Certificate c = e.certificate();
            report.add(new Entry(e.alias(), c.getSubjectX500Principal().getName(), c.getNotAfter().toInstant(),
                Fingerprints.sha256(c)));
            if (!now.plus(EXPIRING_SOON).isBefore(c.getNotAfter().toInstant())) {
                expiring.add(e.alias() + " (" + c.getNotAfter().toInstant() + ")");
            }
        }
        return new Result(output, report, expiring, pem);
    }
}
