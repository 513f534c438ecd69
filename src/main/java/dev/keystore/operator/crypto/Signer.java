package dev.keystore.operator.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Issues X.509 certificates: self-signed CAs and leaves signed by a CA. */
public final class Signer {
    /** notBefore is set this far in the past so that clocks running a little behind accept it. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final int SERIAL_BYTES = 20;

    private final Clock clock;
    private final SecureRandom random;

    public Signer(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    /** A root CA: basicConstraints CA:true (critical), keyCertSign + cRLSign, SKI. */
    public CertificateAuthority selfSignedCa(X500Name subject, KeyPair keyPair, Duration validity) {
        Instant notBefore = clock.instant().minus(BACKDATE);
        Instant notAfter = clock.instant().plus(validity);
        X509Certificate cert = build(subject, subject, keyPair.getPublic(), authorityKeyIdentifier(keyPair.getPublic()),
            notBefore, notAfter, caProfile(subject), keyPair.getPrivate(), KeyType.of(keyPair.getPublic()));
        return new CertificateAuthority(keyPair.getPrivate(), List.of(cert));
    }

    public static CertificateProfile caProfile(X500Name subject) {
        return new CertificateProfile(subject, java.util.Set.of(), java.util.Set.of(),
            Usage.mask(List.of(Usage.KEY_CERT_SIGN, Usage.CRL_SIGN)), java.util.Set.of(), true);
    }

    /**
     * A leaf for {@code publicKey} signed by {@code ca}, valid from now (backdated) for
     * {@code validity}, but never past the CA certificate's notAfter. Returns the full chain.
     */
    public List<X509Certificate> issue(CertificateAuthority ca, CertificateProfile profile, PublicKey publicKey,
                                       Duration validity) {
        X509Certificate caCert = ca.certificate();
        Instant notBefore = clock.instant().minus(BACKDATE);
        Instant notAfter = clock.instant().plus(validity);
        Instant caNotAfter = caCert.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        Instant caNotBefore = caCert.getNotBefore().toInstant();
        if (notBefore.isBefore(caNotBefore)) {
            notBefore = caNotBefore;
        }
        X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
        X509Certificate leaf = build(profile.subject(), issuer, publicKey, authorityKeyIdentifier(caCert), notBefore,
            notAfter, profile, ca.key(), KeyType.of(caCert.getPublicKey()));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(ca.chain());
        return chain;
    }

    /**
     * The issuer's own Subject Key Identifier when its certificate has one (corporate CAs often use
     * one that is not the SHA-1 of the key, and verifiers match the two), else the SHA-1 of its key.
     */
    static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer) {
        byte[] extension = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            try {
                byte[] keyId = SubjectKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
                if (keyId.length > 0) {
                    return new AuthorityKeyIdentifier(keyId);
                }
            } catch (RuntimeException e) {
                // an unreadable identifier: fall back to the key's
            }
        }
        return authorityKeyIdentifier(issuer.getPublicKey());
    }

    private static AuthorityKeyIdentifier authorityKeyIdentifier(PublicKey issuerKey) {
        try {
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available for key identifiers", e);
        }
    }

    private X509Certificate build(X500Name subject, X500Name issuer, PublicKey subjectKey, AuthorityKeyIdentifier aki,
                                  Instant notBefore, Instant notAfter, CertificateProfile profile,
                                  java.security.PrivateKey signingKey, KeyType signingKeyType) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true,
                profile.ca() ? new BasicConstraints(true) : new BasicConstraints(false));
            if (profile.keyUsage() != 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage()));
            }
            if (!profile.extendedKeyUsage().isEmpty()) {
                KeyPurposeId[] purposes = profile.extendedKeyUsage().stream().sorted()
                    .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))).toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            List<GeneralName> names = alternativeNames(profile);
            if (!names.isEmpty()) {
                // critical when the subject is empty, as RFC 5280 4.2.1.6 requires
                boolean critical = profile.subject().getRDNs().length == 0;
                builder.addExtension(Extension.subjectAlternativeName, critical,
                    GeneralNames.getInstance(new DERSequence(names.toArray(GeneralName[]::new))));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, aki);
            var signer = new JcaContentSignerBuilder(signingKeyType.signatureAlgorithm()).setSecureRandom(random)
                .build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot build certificate for " + subject, e);
        }
    }

    /** The subject alternative names a profile asks for, in the order certificates and CSRs carry them. */
    static List<GeneralName> alternativeNames(CertificateProfile profile) {
        List<GeneralName> names = new ArrayList<>();
        profile.sortedDnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        profile.ipAddresses().stream().sorted().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        profile.uris().stream().sorted().forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
        profile.emailAddresses().stream().sorted().forEach(e -> names.add(new GeneralName(GeneralName.rfc822Name, e)));
        return names;
    }

    private BigInteger serial() {
        byte[] bytes = new byte[SERIAL_BYTES];
        random.nextBytes(bytes);
        bytes[0] &= 0x7f; // positive, and at most 20 octets encoded (RFC 5280 4.1.2.2)
        bytes[0] |= 0x40; // never fewer than 159 bits, so at least 128 of them random
        return new BigInteger(1, bytes);
    }
}
