package dev.keystore.operator.crypto;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The one key-usage vocabulary: the RFC 5280 names of the keyUsage bits (with their ASN.1 bit
 * number and Bouncy Castle mask) and of the extended key usages (with their OIDs). The spec,
 * the certificates we sign and the inspect report all speak it.
 */
public enum Usage {
    DIGITAL_SIGNATURE("digitalSignature", 0),
    NON_REPUDIATION("nonRepudiation", 1),
    KEY_ENCIPHERMENT("keyEncipherment", 2),
    DATA_ENCIPHERMENT("dataEncipherment", 3),
    KEY_AGREEMENT("keyAgreement", 4),
    KEY_CERT_SIGN("keyCertSign", 5),
    CRL_SIGN("cRLSign", 6),
    ENCIPHER_ONLY("encipherOnly", 7),
    DECIPHER_ONLY("decipherOnly", 8),
    SERVER_AUTH("serverAuth", KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH("clientAuth", KeyPurposeId.id_kp_clientAuth),
    CODE_SIGNING("codeSigning", KeyPurposeId.id_kp_codeSigning),
    EMAIL_PROTECTION("emailProtection", KeyPurposeId.id_kp_emailProtection),
    TIME_STAMPING("timeStamping", KeyPurposeId.id_kp_timeStamping),
    OCSP_SIGNING("ocspSigning", KeyPurposeId.id_kp_OCSPSigning),
    ANY_EXTENDED_KEY_USAGE("anyExtendedKeyUsage", KeyPurposeId.anyExtendedKeyUsage);

    /** The keyUsage extension's OID, to tell whether a certificate marks it critical. */
    public static final String KEY_USAGE_OID = "2.5.29.15";

    private static final Map<String, Usage> BY_NAME = Arrays.stream(values())
        .collect(Collectors.toUnmodifiableMap(u -> u.text, Function.identity()));
    private static final Map<String, Usage> BY_OID = Arrays.stream(values()).filter(u -> u.oid != null)
        .collect(Collectors.toUnmodifiableMap(u -> u.oid, Function.identity()));

    /** The RFC 5280 name, as users write it. */
    public final String text;
    /** ASN.1 bit number of a keyUsage bit (java.security's index); -1 for an extended key usage. */
    private final int bitNumber;
    /** The OID of an extended key usage; null for a keyUsage bit. */
    public final String oid;

    Usage(String text, int bitNumber) {
        this.text = text;
        this.bitNumber = bitNumber;
        this.oid = null;
    }

    Usage(String text, KeyPurposeId purpose) {
        this.text = text;
        this.bitNumber = -1;
        this.oid = purpose.getId();
    }

    public boolean isKeyUsage() {
        return bitNumber >= 0;
    }

    /** The Bouncy Castle {@link org.bouncycastle.asn1.x509.KeyUsage} mask; 0 for an extended key usage. */
    public int mask() {
        // Bouncy Castle numbers ASN.1 bit 0 as 1 << 7 ... bit 7 as 1, and bit 8 as 1 << 15
        return bitNumber < 0 ? 0 : bitNumber == 8 ? 1 << 15 : 1 << (7 - bitNumber);
    }

    public static Optional<Usage> named(String text) {
        return Optional.ofNullable(BY_NAME.get(text));
    }

    /** The keyUsage mask of the given usages (extended key usages add nothing). */
    public static int mask(Collection<Usage> usages) {
        int bits = 0;
        for (Usage usage : usages) {
            bits |= usage.mask();
        }
        return bits;
    }

    /** The extended key usage OIDs of the given usages, in their order. */
    public static Set<String> oids(Collection<Usage> usages) {
        Set<String> oids = new LinkedHashSet<>();
        usages.stream().filter(u -> u.oid != null).forEach(u -> oids.add(u.oid));
        return oids;
    }

    /** The keyUsage bits of a certificate ({@link X509Certificate#getKeyUsage()}), in bit order; empty when absent. */
    public static List<Usage> keyUsages(boolean[] bits) {
        List<Usage> usages = new ArrayList<>();
        for (Usage usage : values()) {
            if (usage.isKeyUsage() && bits != null && usage.bitNumber < bits.length && bits[usage.bitNumber]) {
                usages.add(usage);
            }
        }
        return usages;
    }

    /** The name of an extended key usage OID, or the OID itself when it has none here. */
    public static String purposeName(String oid) {
        Usage usage = BY_OID.get(oid);
        return usage == null ? oid : usage.text;
    }
}
