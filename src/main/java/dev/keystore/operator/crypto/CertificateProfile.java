package dev.keystore.operator.crypto;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * What a certificate says about its subject, independent of key and validity: two certificates
 * with equal profiles are interchangeable for the workload, so a profile change means re-issue.
 *
 * @param keyUsage bits as in {@link org.bouncycastle.asn1.x509.KeyUsage} ({@link Usage#mask()})
 * @param extendedKeyUsage OIDs, sorted
 * @param uris uniformResourceIdentifier SANs (SPIFFE IDs and the like)
 * @param emailAddresses rfc822Name SANs
 */
public record CertificateProfile(X500Name subject, Set<String> dnsNames, Set<String> ipAddresses,
                                 int keyUsage, Set<String> extendedKeyUsage, boolean ca, Set<String> uris,
                                 Set<String> emailAddresses) {
    public CertificateProfile {
        dnsNames = Set.copyOf(new TreeSet<>(dnsNames));
        ipAddresses = Set.copyOf(new TreeSet<>(ipAddresses));
        extendedKeyUsage = Set.copyOf(new TreeSet<>(extendedKeyUsage));
        uris = Set.copyOf(new TreeSet<>(uris));
        emailAddresses = Set.copyOf(new TreeSet<>(emailAddresses));
    }

    /** A profile without URI or e-mail names. */
    public CertificateProfile(X500Name subject, Set<String> dnsNames, Set<String> ipAddresses, int keyUsage,
                              Set<String> extendedKeyUsage, boolean ca) {
        this(subject, dnsNames, ipAddresses, keyUsage, extendedKeyUsage, ca, Set.of(), Set.of());
    }

    /** Reads the profile back from an issued certificate. */
    public static CertificateProfile of(X509Certificate certificate) {
        Set<String> dns = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        Set<String> uris = new TreeSet<>();
        Set<String> emails = new TreeSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    if (type == 2) {
                        dns.add((String) name.get(1));
                    } else if (type == 7) {
                        ips.add(IpAddresses.canonical((String) name.get(1)));
                    } else if (type == 6) {
                        uris.add((String) name.get(1));
                    } else if (type == 1) {
                        emails.add((String) name.get(1));
                    }
                }
            }
            List<String> eku = certificate.getExtendedKeyUsage();
            return new CertificateProfile(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                dns, ips, Usage.mask(Usage.keyUsages(certificate.getKeyUsage())), eku == null ? Set.of() : Set.copyOf(eku),
                certificate.getBasicConstraints() >= 0, uris, emails);
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable certificate extensions", e);
        }
    }

    public List<String> sortedDnsNames() {
        return new ArrayList<>(new TreeSet<>(dnsNames));
    }
}
