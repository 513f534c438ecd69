package dev.keystore.operator.keystore;

import dev.keystore.operator.crypto.Asn1Nesting;
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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.util.io.Streams;

/**
 * What a keystore may cost to open, checked from its structure before any key is derived from the
 * password. The JDK accepts up to 5,000,000 PBKDF2 iterations per PKCS12 bag and for the MAC,
 * which lets a 7 KB file cost half a minute of CPU; real tools write far fewer: keytool (JDK 12+)
 * 10,000, JDK 8 and 11 up to 100,000 for the MAC, OpenSSL 2,048.
 */
final class StoreBounds {
    /** The most PBKDF iterations accepted for the MAC or any one encrypted part or key. */
    static final int MAX_ITERATIONS = 100_000;
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

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private StoreBounds() {
    }

    /** What opening a PKCS12 file costs, as its ASN.1 says. */
    static final class Pkcs12Cost {
        long mac;
        long encryptedParts;
        final List<Long> keys = new ArrayList<>();
        int bags;
        /** Key bags in the parts in clear, which the JDK's count of key entries is compared with. */
        int visibleKeys;
        boolean scanningEncrypted;
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
     * After the JDK opened the file (so the password is right): when it found more keys than the
     * parts in clear hold, some are inside an encrypted part, which the structure alone does not
     * show; those bags are held to the same caps before any key among them is decrypted. That
     * costs one more derivation per encrypted part, within {@link #MAX_ITERATIONS}; files as
     * keytool and OpenSSL write them (keys in clear parts) need none.
     */
    static void checkEncryptedParts(Pkcs12Cost cost, char[] password, boolean allKeys, int keyEntries)
        throws KeystoreCodec.UnreadableKeystore {
        if (cost == null || cost.encrypted.isEmpty() || keyEntries <= cost.visibleKeys) {
            return;
        }
        cost.scanningEncrypted = true;
        try {
            var decryptors = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BC).build(password);
            for (EncryptedData data : cost.encrypted) {
                InputDecryptor decryptor = decryptors.get(data.getEncryptionAlgorithm());
                byte[] plain = Streams.readAll(decryptor.getInputStream(new ByteArrayInputStream(data.getContent().getOctets())));
                if (!Asn1Nesting.withinBound(plain)) {
                    throw refused("has an encrypted part nested deeper than " + Asn1Nesting.MAX_DEPTH + " levels");
                }
                bags(ASN1Primitive.fromByteArray(plain), 0, cost);
            }
        } catch (KeystoreCodec.UnreadableKeystore e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new KeystoreCodec.UnreadableKeystore("has an encrypted part that could not be checked");
        }
        total(cost, allKeys);
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
            if (!cost.scanningEncrypted && (PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(type)
                || PKCSObjectIdentifiers.keyBag.equals(type) || PKCSObjectIdentifiers.secretBag.equals(type))) {
                cost.visibleKeys++;
            }
            if (PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(type)) {
                cost.keys.add(pbeIterations(EncryptedPrivateKeyInfo.getInstance(bag.getBagValue()).getEncryptionAlgorithm(),
                    "a key"));
            } else if (PKCSObjectIdentifiers.safeContentsBag.equals(type)) {
                bags(bag.getBagValue().toASN1Primitive(), nesting + 1, cost);
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

    /** JKS: magic, version, then the number of entries. */
    private static void checkJks(byte[] bytes) throws KeystoreCodec.UnreadableKeystore {
        if (bytes.length < 12) {
            throw new KeystoreCodec.UnreadableKeystore("is not a readable JKS keystore");
        }
        long count = ((bytes[8] & 0xffL) << 24) | ((bytes[9] & 0xff) << 16) | ((bytes[10] & 0xff) << 8) | (bytes[11] & 0xff);
        if (count > MAX_JKS_ENTRIES) {
            throw refused("holds " + count + " entries, more than the " + MAX_JKS_ENTRIES + " allowed");
        }
    }

    private static KeystoreCodec.UnreadableKeystore refused(String why) {
        return new KeystoreCodec.UnreadableKeystore(why);
    }
}
