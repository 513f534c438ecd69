package dev.keystore.operator.inspect;

import dev.keystore.operator.crypto.Fingerprints;
import dev.keystore.operator.crypto.Usage;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One row of a store's table: the entry and its leaf certificate (or the key alone, for a PEM key
 * file). Certificates and key sizes only: no key material.
 *
 * @param daysLeft whole days from now to notAfter, negative once expired
 * @param keyPasswordIsStorePassword false when the store password does not open the key; null when not a key in a store
 * @param chainStatus complete, no root, incomplete or out of order; null for a trusted certificate
 * @param chainTrustedBy where the trusted certificate the chain leads to was found; null when none
 */
public record EntryReport(String alias, String entryType, String subject, String issuer, String keyAlgorithm,
                          Integer keySize, String signatureAlgorithm, String notBefore, String notAfter, Long daysLeft,
                          List<String> subjectAlternativeNames, List<String> keyUsage, boolean keyUsageCritical,
                          List<String> extendedKeyUsage, Integer chainLength, String chainStatus, String chainTrustedBy,
                          Boolean keyPasswordIsStorePassword, String sha256) {
    public EntryReport {
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
        keyUsage = List.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
    }

    static EntryReport of(Entry entry, Instant now) {
        X509Certificate leaf = entry.leaf();
        Integer length = entry.kind() == Entry.Kind.TRUSTED_CERTIFICATE || entry.kind() == Entry.Kind.SECRET_KEY
            ? null : entry.chain().size();
        String chain = entry.verdict() == null ? null : entry.verdict().status().text;
        String trustedBy = entry.verdict() == null ? null : entry.verdict().trustedBy();
        if (leaf == null) {
            return new EntryReport(entry.alias(), entry.kind().text, null, null, entry.keyAlgorithm(),
                entry.keySize() == 0 ? null : entry.keySize(), null, null, null, null, List.of(), List.of(), false,
                List.of(), length, chain, trustedBy, entry.keyOpens(), null);
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        return new EntryReport(entry.alias(), entry.kind().text, leaf.getSubjectX500Principal().toString(),
            leaf.getIssuerX500Principal().toString(), entry.keyAlgorithm(), entry.keySize(), leaf.getSigAlgName(),
            leaf.getNotBefore().toInstant().toString(), notAfter.toString(), daysLeft(now, notAfter),
            subjectAlternativeNames(leaf), keyUsage(leaf), leaf.getCriticalExtensionOIDs() != null
                && leaf.getCriticalExtensionOIDs().contains(Usage.KEY_USAGE_OID),
            extendedKeyUsage(leaf), length, chain, trustedBy, entry.keyOpens(), Fingerprints.sha256(leaf));
    }

    static long daysLeft(Instant now, Instant notAfter) {
        return Math.floorDiv(notAfter.getEpochSecond() - now.getEpochSecond(), 86_400L);
    }

    static List<String> keyUsage(X509Certificate certificate) {
        return Usage.keyUsages(certificate.getKeyUsage()).stream().map(u -> u.text).toList();
    }

    /** Names of the extended key usages; empty when the extension is absent (any purpose, RFC 5280 4.2.1.12). */
    static List<String> extendedKeyUsage(X509Certificate certificate) {
        try {
            List<String> oids = certificate.getExtendedKeyUsage();
            return oids == null ? List.of() : oids.stream().map(Usage::purposeName).toList();
        } catch (CertificateParsingException e) {
            return List.of("unreadable");
        }
    }

    static List<String> subjectAlternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            for (List<?> name : all == null ? List.<List<?>>of() : all) {
                int type = (Integer) name.get(0);
                String prefix = switch (type) {
                    case 1 -> "email:";
                    case 2 -> "DNS:";
                    case 6 -> "URI:";
                    case 7 -> "IP:";
                    default -> "type" + type + ":";
                };
                names.add(prefix + (name.get(1) instanceof String s ? s : "(binary)"));
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable");
        }
        return names;
    }
}
