package dev.keystore.operator.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request for a slot's key: the subject, and an extensionRequest with
 * the subject alternative names, key usages (critical) and extended key usages the profile asks for.
 */
public final class CertificationRequest {
    private CertificationRequest() {
    }

    /** A new CSR for {@code keys}, signed with its private key, as PEM. */
    public static byte[] create(CertificateProfile profile, KeyPair keys, SecureRandom random) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            if (profile.keyUsage() != 0) {
                extensions.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage()));
            }
            if (!profile.extendedKeyUsage().isEmpty()) {
                extensions.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.extendedKeyUsage()
                    .stream().sorted().map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                    .toArray(KeyPurposeId[]::new)));
            }
            List<GeneralName> names = Signer.alternativeNames(profile);
            if (!names.isEmpty()) {
                extensions.addExtension(Extension.subjectAlternativeName, profile.subject().getRDNs().length == 0,
                    GeneralNames.getInstance(new DERSequence(names.toArray(GeneralName[]::new))));
            }
            var builder = new JcaPKCS10CertificationRequestBuilder(profile.subject(), keys.getPublic());
            if (!extensions.isEmpty()) {
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            var signer = new JcaContentSignerBuilder(KeyType.of(keys.getPublic()).signatureAlgorithm())
                .setSecureRandom(random).build(keys.getPrivate());
            StringWriter text = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
                pem.writeObject(builder.build(signer));
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build a CSR for " + profile.subject(), e);
        }
    }

    /** The CSR in PEM bytes, when they hold one; signatures are not checked here. */
    public static Optional<PKCS10CertificationRequest> parse(byte[] pem) {
        if (pem == null) {
            return Optional.empty();
        }
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.UTF_8)))) {
            Object o = parser.readObject();
            return o instanceof PKCS10CertificationRequest r ? Optional.of(r) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code pem} is a valid CSR asking for exactly what a new one for {@code keys} and
     * {@code profile} would ask for (same subject, key and extensions): then its bytes are kept, so
     * an unchanged request is never rewritten (an ECDSA signature differs at every signing).
     */
    public static boolean asksFor(byte[] pem, CertificateProfile profile, KeyPair keys, SecureRandom random) {
        Optional<PKCS10CertificationRequest> existing = parse(pem);
        if (existing.isEmpty()) {
            return false;
        }
        try {
            if (!existing.get().isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic()))) {
                return false;
            }
            PKCS10CertificationRequest fresh = parse(create(profile, keys, random)).orElseThrow();
            return Arrays.equals(existing.get().toASN1Structure().getCertificationRequestInfo().getEncoded(),
                fresh.toASN1Structure().getCertificationRequestInfo().getEncoded());
        } catch (PKCSException | OperatorCreationException | IOException | RuntimeException e) {
            return false;
        }
    }

    /** The extensions a CSR requests, by OID (for tests and diagnostics). */
    public static List<String> requestedExtensions(PKCS10CertificationRequest request) {
        List<String> oids = new ArrayList<>();
        var ext = request.getRequestedExtensions();
        if (ext != null) {
            for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
                oids.add(oid.getId());
            }
        }
        return oids;
    }
}
