package dev.keystore.operator.keystore;

import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Stable, unique aliases for trusted certificates, derived from the subject CN. */
public final class Aliases {
    private Aliases() {
    }

    /**
     * Trusted entries for distinct certificates, with aliases that depend only on the set of
     * certificates, not their order: sorted by alias base, then SHA-256, before suffixes are given.
     */
    public static java.util.List<StoreEntry.TrustedEntry> assign(java.util.List<X509Certificate> certificates) {
        java.util.List<X509Certificate> sorted = new java.util.ArrayList<>(certificates);
        sorted.sort(java.util.Comparator.comparing((X509Certificate c) -> base(c))
            .thenComparing(dev.keystore.operator.crypto.Fingerprints::sha256));
        Set<String> taken = new java.util.HashSet<>();
        java.util.List<StoreEntry.TrustedEntry> entries = new java.util.ArrayList<>();
        for (X509Certificate c : sorted) {
            entries.add(new StoreEntry.TrustedEntry(forCertificate(c, taken), c));
        }
        return entries;
    }

    private static String base(X509Certificate certificate) {
        String base = slug(commonName(certificate));
        return base.isEmpty() ? "cert" : base;
    }

    /** The CN lower-cased with runs of other characters as '-', made unique against {@code taken}. */
    public static String forCertificate(X509Certificate certificate, Set<String> taken) {
        String base = slug(commonName(certificate));
        if (base.isEmpty()) {
            base = "cert";
        }
        String alias = base;
        for (int i = 2; taken.contains(alias); i++) {
            alias = base + "-" + i;
        }
        taken.add(alias);
        return alias;
    }

    static String commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }

    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
    }
}
