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
