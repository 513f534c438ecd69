package dev.keystore.operator.keystore;

import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;

/**
 * How a written PKCS12 is protected. {@code MODERN}: keys and certificates under PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC), HmacSHA256 MAC (what Java 17 writes; OpenSSL 3 reads it without -legacy). {@code LEGACY}:
 * PBE-SHA1-3DES for keys and certificates and a SHA-1 MAC, for readers without PBES2 (Java 8 before
 * 8u301, IBM GSKit).
 */
public enum Pkcs12Profile {
    MODERN, LEGACY;

    /**
     * The profile a file was written with, told by its MAC digest (the writer sets keys, certificates and MAC
     * together); empty when the bytes are not a PKCS12 with a SHA-1 or SHA-256 MAC.
     */
    public static Optional<Pkcs12Profile> of(byte[] bytes) {
        try {
            Pfx pfx = Pfx.getInstance(ASN1Primitive.fromByteArray(bytes));
            if (pfx.getMacData() == null) {
                return Optional.empty();
            }
            var digest = pfx.getMacData().getMac().getAlgorithmId().getAlgorithm();
            if (OIWObjectIdentifiers.idSHA1.equals(digest)) {
                return Optional.of(LEGACY);
            }
            if (NISTObjectIdentifiers.id_sha256.equals(digest)) {
                return Optional.of(MODERN);
            }
            return Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
