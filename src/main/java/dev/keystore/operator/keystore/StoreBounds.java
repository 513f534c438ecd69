package dev.keystore.operator.keystore;

import dev.keystore.operator.crypto.Asn1Nesting;
import dev.keystore.operator.crypto.Pem;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.util.io.Streams;

/**
 * What a keystore may cost to open, checked from its structure before any key is derived from the
 * password. The JDK accepts up to 5,000,000 PBKDF2 iterations per PKCS12 bag and for the MAC,
 * which lets a 7 KB file cost half a minute of CPU; real tools write far fewer: keytool (JDK 12+)
 * 10,000, JDK 8 and 11 up to 100,000 for the MAC, Bouncy Castle 102,400 (which writes our Legacy
 * profile), OpenSSL 2,048.
 */
final class StoreBounds {
    /** The most PBKDF iterations accepted for the MAC or any one encrypted part or key. */
    static final int MAX_ITERATIONS = 200_000;
    /** The most iterations one read may derive in all: MAC, encrypted parts and the keys it decrypts. */
    static final int MAX_TOTAL_ITERATIONS = 300_000;
    /** Bags (certificates, keys, nested contents) in one PKCS12 file. */
    static final int MAX_BAGS = 1_000;
    /** The parts of the authenticated safe, and how many of them may be encrypted. */
    static final int MAX_CONTENTS = 16;
    static final int MAX_ENCRYPTED_CONTENTS = 4;
    /** safeContentsBag inside safeContentsBag. */
    static final int MAX_BAG_NESTING = 4;
    /** Entries of a JKS file. */
    static final int MAX_JKS_ENTRIES = 1_000;

    private StoreBounds() {
    }

    /** What opening a PKCS12 file costs, as its ASN.1 says. */
    static final class Pkcs12Cost {
        long mac;
        long encryptedParts;
        final List<Long> keys = new ArrayList<>();
        int bags;
        int encryptedContents;
        final List<EncryptedData> encrypted = new ArrayList<>();

        long forKeys(boolean allKeys) {
            return allKeys ? keys.stream().mapToLong(Long::longValue).sum()
                : keys.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    /** Refuses, before the JDK opens it, a file that would cost more than the caps say. */
    static Pkcs12Cost check(byte[] bytes, boolean allKeys) throws KeystoreCodec.UnreadableKeystore {
        if (KeystoreCodec.detect(bytes) == StoreType.JKS) {
            checkJks(bytes);
            return null;
        }
        Pkcs12Cost cost = new Pkcs12Cost();
        try {
            if (!Asn1Nesting.withinBound(bytes)) {
                throw refused("nests deeper than " + Asn1Nesting.MAX_DEPTH + " levels");
            }
            Pfx pfx = Pfx.getInstance(ASN1Primitive.fromByteArray(bytes));
            MacData mac = pfx.getMacData();
            if (mac != null) {
                cost.mac = iterations(mac.getIterationCount(), "its MAC");
            }
            ContentInfo authSafe = pfx.getAuthSafe();
            if (!PKCSObjectIdentifiers.data.equals(authSafe.getContentType())) {
                throw refused("is not a password-protected PKCS12 file (its content is " + authSafe.getContentType() + ")");
            }
            AuthenticatedSafe safe = AuthenticatedSafe.getInstance(
                ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(authSafe.getContent()).getOctets()));
            ContentInfo[] parts = safe.getContentInfo();
            if (parts.length > MAX_CONTENTS) {
                throw refused("has " + parts.length + " parts, more than " + MAX_CONTENTS);
            }
            for (ContentInfo part : parts) {
                if (PKCSObjectIdentifiers.data.equals(part.getContentType())) {
                    bags(ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(part.getContent()).getOctets()), 0, cost);
                } else if (PKCSObjectIdentifiers.encryptedData.equals(part.getContentType())) {
                    if (++cost.encryptedContents > MAX_ENCRYPTED_CONTENTS) {
                        throw refused("has more than " + MAX_ENCRYPTED_CONTENTS + " encrypted parts");
                    }
                    EncryptedData data = EncryptedData.getInstance(part.getContent());
                    cost.encryptedParts += pbeIterations(data.getEncryptionAlgorithm(), "an encrypted part");
                    cost.encrypted.add(data);
                } else {
                    throw refused("has a part of type " + part.getContentType() + ", which is not supported");
                }
            }
        } catch (KeystoreCodec.UnreadableKeystore e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new KeystoreCodec.UnreadableKeystore("is not a readable PKCS12 keystore");
        }
        total(cost, allKeys);
        return cost;
    }

    /**
     * Before the JDK opens the file: the bags inside its encrypted parts, which the structure alone
     * does not show, decrypted with Bouncy Castle and held to the same caps (the JDK parses every
     * certificate in them while it loads). That costs one more derivation per encrypted part, each
     * within {@link #MAX_ITERATIONS}. A part that does not decrypt (most often: a wrong password)
     * is left for the JDK to judge; if the JDK then opens the file, it is refused all the same.
     *
     * @return whether every encrypted part was checked
     */
    static boolean checkEncryptedParts(Pkcs12Cost cost, char[] password, boolean allKeys)
        throws KeystoreCodec.UnreadableKeystore {
        if (cost == null || cost.encrypted.isEmpty()) {
            return true;
        }
        var decryptors = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(password);
        for (EncryptedData data : cost.encrypted) {
            byte[] plain;
            try {
                InputDecryptor decryptor = decryptors.get(data.getEncryptionAlgorithm());
                plain = Streams.readAll(decryptor.getInputStream(new ByteArrayInputStream(data.getContent().getOctets())));
            } catch (Exception | StackOverflowError e) {
                return false;
            }
            try {
                if (!Asn1Nesting.withinBound(plain)) {
                    throw refused("has an encrypted part nested deeper than " + Asn1Nesting.MAX_DEPTH + " levels");
                }
                bags(ASN1Primitive.fromByteArray(plain), 0, cost);
            } catch (KeystoreCodec.UnreadableKeystore e) {
                throw e;
            } catch (Exception | StackOverflowError e) {
                return false;
            }
        }
        total(cost, allKeys);
        return true;
    }

    private static void total(Pkcs12Cost cost, boolean allKeys) throws KeystoreCodec.UnreadableKeystore {
        long total = cost.mac + cost.encryptedParts + cost.forKeys(allKeys);
        if (total > MAX_TOTAL_ITERATIONS) {
            throw refused("would take " + total + " password-derivation iterations to open, more than the "
                + MAX_TOTAL_ITERATIONS + " allowed");
        }
    }

    private static void bags(ASN1Primitive safeContents, int nesting, Pkcs12Cost cost) throws Exception {
        if (nesting > MAX_BAG_NESTING) {
            throw refused("nests its bags deeper than " + MAX_BAG_NESTING + " levels");
        }
        for (ASN1Encodable element : ASN1Sequence.getInstance(safeContents)) {
            if (++cost.bags > MAX_BAGS) {
                throw refused("holds more than " + MAX_BAGS + " entries");
            }
            SafeBag bag = SafeBag.getInstance(element);
            ASN1ObjectIdentifier type = bag.getBagId();
            if (PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(type)) {
                cost.keys.add(pbeIterations(EncryptedPrivateKeyInfo.getInstance(bag.getBagValue()).getEncryptionAlgorithm(),
                    "a key"));
            } else if (PKCSObjectIdentifiers.safeContentsBag.equals(type)) {
                bags(bag.getBagValue().toASN1Primitive(), nesting + 1, cost);
            } else if (PKCSObjectIdentifiers.certBag.equals(type)) {
                CertBag cert = CertBag.getInstance(bag.getBagValue());
                if (!Pem.isDer(ASN1OctetString.getInstance(cert.getCertValue()).getOctets())) {
                    throw refused("holds a certificate that is not DER");
                }
            }
        }
    }

    /** The iterations of a PBES2 (PBKDF2) or PKCS#12/PKCS#5 v1 password-based scheme. */
    private static long pbeIterations(AlgorithmIdentifier algorithm, String what) throws KeystoreCodec.UnreadableKeystore {
        if (PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
            KeyDerivationFunc kdf = PBES2Parameters.getInstance(algorithm.getParameters()).getKeyDerivationFunc();
            if (!PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm())) {
                throw refused("protects " + what + " with the key derivation " + kdf.getAlgorithm()
                    + ", which is not supported (PBKDF2 is)");
            }
            return iterations(PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount(), what);
        }
        return iterations(PKCS12PBEParams.getInstance(algorithm.getParameters()).getIterations(), what);
    }

    private static long iterations(BigInteger count, String what) throws KeystoreCodec.UnreadableKeystore {
        if (count.signum() <= 0 || count.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw refused("protects " + what + " with " + count + " iterations, more than the " + MAX_ITERATIONS
                + " allowed (keytool writes 10000, OpenSSL 2048): re-export it with fewer");
        }
        return count.longValue();
    }

    /**
     * JKS: magic, version, the number of entries, then each entry; every certificate in it must be
     * DER within the nesting bound before the JDK parses it (the JDK also decodes PEM text there).
     */
    private static void checkJks(byte[] bytes) throws KeystoreCodec.UnreadableKeystore {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        try {
            in.position(8);
            long count = in.getInt() & 0xffffffffL;
            if (count > MAX_JKS_ENTRIES) {
                throw refused("holds " + count + " entries, more than the " + MAX_JKS_ENTRIES + " allowed");
            }
            for (long i = 0; i < count; i++) {
                int tag = in.getInt();
                skip(in, in.getShort() & 0xffff); // alias, modified UTF-8
                in.getLong(); // date
                int certificates = 1;
                if (tag == 1) { // private key: protected key, then the chain
                    skip(in, in.getInt());
                    certificates = in.getInt();
                } else if (tag != 2) {
                    return; // not JKS as we know it: the JDK refuses it
                }
                if (certificates < 0 || certificates > MAX_BAGS) {
                    throw refused("has an entry with " + certificates + " certificates");
                }
                for (int c = 0; c < certificates; c++) {
                    skip(in, in.getShort() & 0xffff); // type, "X.509"
                    int length = in.getInt();
                    if (length < 0 || length > in.remaining()) {
                        return;
                    }
                    byte[] der = new byte[length];
                    in.get(der);
                    if (!Pem.isDer(der) || !Asn1Nesting.withinBound(der)) {
                        throw refused("holds a certificate that is not DER or nests deeper than " + Asn1Nesting.MAX_DEPTH
                            + " levels");
                    }
                }
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            // truncated: the JDK refuses it
        }
    }

    private static void skip(java.nio.ByteBuffer in, int n) {
        in.position(in.position() + n);
    }

    private static KeystoreCodec.UnreadableKeystore refused(String why) {
        return new KeystoreCodec.UnreadableKeystore(why);
    }
}
