package dev.keystore.operator.api.v1alpha1;

/**
 * The patterns and bounds of the CRD schema (api.md "Additions": names must be what the API server
 * would accept). Each pattern reads alike in the API server's RE2 and in java.util.regex: anchored,
 * no look-around, no back-references, no possessive or lazy quantifiers.
 */
public final class Patterns {
    /** A DNS-1123 subdomain: what the API server accepts as the name of a Secret, ConfigMap or custom resource. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public static final int MAX_NAME = 253;
    /** The longest suffix the operator adds to an output Secret's name for its records. */
    public static final String LONGEST_SUFFIX = "-internal";
    /** An output Secret name, with room for {@link #LONGEST_SUFFIX}. */
    public static final int MAX_SECRET_NAME = MAX_NAME - 9;
    /** A KeystoreSet's name is the value of a label on its Secrets: at most 63 characters. */
    public static final int MAX_SET_NAME = 63;

    /**
     * An absolute path of [A-Za-z0-9._/-] in which neither ".." nor "--" appears: every run of dots
     * and dashes alternates (".", "-", ".-", "-.-", ...).
     */
    public static final String MOUNT_PATH =
        "^/([A-Za-z0-9_/]|(\\.(-\\.)*-?|-(\\.-)*\\.?)[A-Za-z0-9_/])*(\\.(-\\.)*-?|-(\\.-)*\\.?)?$";
    public static final int MAX_MOUNT_PATH = 1024;

    /** A file name in a Secret (a Secret key) that is not hidden, not an option and never a path. */
    public static final String FILE_NAME = "^[A-Za-z0-9_][-._A-Za-z0-9]*$";
    /** A key of a Secret or ConfigMap, as the API server accepts it. */
    public static final String DATA_KEY = "^[-._A-Za-z0-9]+$";
    public static final int MAX_DATA_KEY = 253;

    /** An alias the operator writes into a keystore (and into deployment.toml, server.xml, the zowe env file). */
    public static final String ALIAS = "^[A-Za-z0-9][-._@+A-Za-z0-9]*$";
    public static final int MAX_ALIAS = 128;
    /** Text without control characters (imported aliases, subject attributes). */
    public static final String PRINTABLE = "^[^\\x00-\\x1F\\x7F]*$";
    public static final int MAX_COMMON_NAME = 64;
    public static final int MAX_SUBJECT_VALUE = 128;
    public static final String COUNTRY = "^[A-Za-z]{2}$";
    public static final int MAX_SUBJECT_VALUES = 8;

    /** A Go duration of whole or decimal parts: "8760h", "720h30m", "1.5h", "90s". */
    public static final String DURATION = "^([0-9]{1,9}(\\.[0-9]{1,9})?(ns|us|µs|ms|s|m|h)){1,7}$";
    public static final int MAX_DURATION = 64;

    /** A DNS name for a certificate: labels of letters, digits, '-' and '_', an optional leading "*.". */
    public static final String DNS_NAME =
        "^(\\*\\.)?[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?)*$";
    public static final String IP_ADDRESS = "^[0-9A-Fa-f:.]+$";
    public static final int MAX_IP_ADDRESS = 45;
    public static final int MAX_SANS = 100;
    /** URI SANs: the 2048 characters crypto/AlternativeNames allows; e-mail: RFC 5321's 254. */
    public static final int MAX_URI = 2048;
    public static final int MAX_EMAIL = 254;

    public static final int MIN_KEY_SIZE = 256;
    public static final int MAX_KEY_SIZE = 16384;
    /** Inline PEM of a trust source: the 1 MiB every other input is held to. */
    public static final int MAX_INLINE_PEM = 1 << 20;
    public static final int MAX_TRUST_SOURCES = 64;
    public static final int MAX_TRUST_BUNDLE_REFS = 16;
    public static final int MAX_ROLLOUT = 32;
    public static final int MAX_USAGES = 16;

    /** A time of day of a renewal window, "HH:MM" from 00:00 to 23:59. */
    public static final String TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    /** An IANA time zone name (Area/Location, UTC, EST5EDT, Etc/GMT+2): the name's shape; the zone itself is checked in plan/. */
    public static final String TIME_ZONE = "^[A-Za-z][-+_A-Za-z0-9]*(/[-+_A-Za-z0-9]+){0,3}$";
    public static final int MAX_TIME_ZONE = 64;
    public static final int MAX_RENEWAL_WINDOWS = 16;

    private Patterns() {
    }
}
