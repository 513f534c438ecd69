package dev.keystore.operator.inspect;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a store is for, from its file name as the products name them (WSO2 {@code wso2carbon.jks},
 * {@code internal_keystore.jks}, {@code tls_keystore.jks}, {@code client-truststore.jks}; Zowe
 * {@code localhost.keystore.p12}, {@code jwtsecret.p12}; Liberty {@code key.p12}, {@code trust.p12};
 * the operator's {@code primary.p12}, {@code tls.crt}, {@code ca.crt}). KEYSTORE: a key store whose
 * use the name does not say; its certificates' extended key usage may still say TLS.
 */
public enum Role {
    PRIMARY, TLS, INTERNAL, TRUSTSTORE, KEYSTORE;

    /** The role the file name alone says. */
    static Role byName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        // ca.crt, corp-ca.pem: CA certificates; but ca.key or corp-ca.p12 hold a CA's key, not trust
        boolean certificateFile = name.endsWith(".crt") || name.endsWith(".cer") || name.endsWith(".pem");
        boolean caName = base.equals("ca") || base.startsWith("ca-") || base.startsWith("ca_") || base.endsWith("-ca")
            || base.endsWith("_ca");
        if (name.contains("trust") || name.contains("cacert") || name.contains("bundle") || (certificateFile && caName)) {
            return TRUSTSTORE;
        }
        if (name.contains("internal")) {
            return INTERNAL;
        }
        if (name.contains("primary") || name.contains("wso2carbon") || name.contains("jwt")) {
            return PRIMARY;
        }
        if (name.contains("tls")) {
            return TLS;
        }
        return KEYSTORE;
    }

    /**
     * The roles of one file among the files inspected together. WSO2 uses the primary keystore for
     * TLS and internal encryption too when no separate one is configured (seed 004), so under the
     * wso2 profile a primary store takes the roles nothing else in its group has. Zowe and Liberty
     * keystores are all TLS keystores (Zowe's JWT secret excepted).
     */
    static Set<Role> of(String fileName, Profile profile, Set<Role> inGroup) {
        return of(EnumSet.of(byName(fileName)), profile, inGroup);
    }

    /** The roles of a store whose own roles are {@code base} (from --role, a product config or its name). */
    static Set<Role> of(Set<Role> base, Profile profile, Set<Role> inGroup) {
        Set<Role> roles = EnumSet.copyOf(base);
        if (profile == Profile.WSO2 && roles.contains(PRIMARY)) {
            if (!inGroup.contains(TLS)) {
                roles.add(TLS);
            }
            if (!inGroup.contains(INTERNAL)) {
                roles.add(INTERNAL);
            }
        }
        if ((profile == Profile.ZOWE || profile == Profile.LIBERTY) && roles.equals(EnumSet.of(KEYSTORE))) {
            return EnumSet.of(TLS);
        }
        return roles;
    }

    /** A role {@code --role} may name: primary, tls, internal or truststore. */
    static java.util.Optional<Role> parse(String name) {
        for (Role r : values()) {
            if (r != KEYSTORE && r.key().equals(name)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
