package dev.keystore.operator.keystore;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * PKCS12 files as an attacker or an unusual tool writes them, built with Bouncy Castle's PKCS12
 * builder: any iteration count for the MAC, the certificates and each key, extra bags, bags
 * nested in safeContentsBags, keys hidden in the encrypted part.
 */
public final class CraftedPkcs12 {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    public int macIterations = 10_000;
    public int certIterations = 10_000;
    public int keyIterations = 10_000;
    /** Extra key bags (aliases "extra0", ...) beside the one asked for ("k"). */
    public int extraKeys;
    /** Whether the extra keys' encrypted bytes are damaged, so that decrypting any of them fails. */
    public boolean extraKeysDamaged;
    public int extraCertificateBags;
    /** How many safeContentsBags wrap the key bag. */
    public int nesting;
    /** The key bags in the encrypted part with the certificates, rather than in a plain part. */
    public boolean keysEncrypted;
    /** A certificate bag holding these bytes as they are (not DER, say), beside the real ones. */
    public byte[] rawCertificate;
    /** The certificate bags in a part in clear, not encrypted (as some tools write them). */
    public boolean certificatesInClear;
    /** A legacy 3DES/PKCS#12-PBE encryption of the certificates, as JDK 8 and OpenSSL 1.1 wrote. */
    public boolean legacyCertificates;

    public byte[] build(KeyPair keys, List<X509Certificate> chain, char[] password) throws Exception {
        byte[] localKeyId = {1, 2, 3, 4};
        List<PKCS12SafeBag> keyBags = new ArrayList<>();
        keyBags.add(keyBag(keys, "k", localKeyId, password, false));
        for (int i = 0; i < extraKeys; i++) {
            keyBags.add(keyBag(keys, "extra" + i, new byte[] {9, 9, (byte) (i >> 8), (byte) i}, password, extraKeysDamaged));
        }
        List<PKCS12SafeBag> certBags = new ArrayList<>();
        PKCS12SafeBagBuilder leaf = new JcaPKCS12SafeBagBuilder(chain.get(0));
        leaf.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("k"));
        leaf.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));
        certBags.add(leaf.build());
        for (X509Certificate c : chain.subList(1, chain.size())) {
            certBags.add(new JcaPKCS12SafeBagBuilder(c).build());
        }
        for (int i = 0; i < extraCertificateBags; i++) {
            certBags.add(new JcaPKCS12SafeBagBuilder(chain.get(chain.size() - 1)).build());
        }
        if (rawCertificate != null) {
            certBags.add(new PKCS12SafeBag(new SafeBag(PKCSObjectIdentifiers.certBag, new org.bouncycastle.asn1.pkcs.CertBag(
                PKCSObjectIdentifiers.x509Certificate, new DEROctetString(rawCertificate)))));
        }
        PKCS12SafeBag[] wrapped = keyBags.toArray(PKCS12SafeBag[]::new);
        for (int i = 0; i < nesting; i++) {
            wrapped = new PKCS12SafeBag[] {new PKCS12SafeBag(new SafeBag(PKCSObjectIdentifiers.safeContentsBag,
                new DERSequence(java.util.Arrays.stream(wrapped).map(PKCS12SafeBag::toASN1Structure)
                    .toArray(SafeBag[]::new))))};
        }
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        OutputEncryptor certEncryptor = legacyCertificates
            ? new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setIterationCount(certIterations).setProvider(BC).build(password)
            : pbes2(certIterations, password);
        if (keysEncrypted) {
            List<PKCS12SafeBag> all = new ArrayList<>(certBags);
            all.addAll(List.of(wrapped));
            pfx.addEncryptedData(certEncryptor, all.toArray(PKCS12SafeBag[]::new));
        } else if (certificatesInClear) {
            for (PKCS12SafeBag bag : certBags) {
                pfx.addData(bag);
            }
            for (PKCS12SafeBag bag : wrapped) {
                pfx.addData(bag);
            }
        } else {
            pfx.addEncryptedData(certEncryptor, certBags.toArray(PKCS12SafeBag[]::new));
            for (PKCS12SafeBag bag : wrapped) {
                pfx.addData(bag); // one plain part per key bag
            }
        }
        return pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
            .setIterationCount(macIterations).setProvider(BC), password).getEncoded(ASN1Encoding.DER);
    }

    private PKCS12SafeBag keyBag(KeyPair keys, String alias, byte[] localKeyId, char[] password, boolean damaged)
        throws Exception {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(keys.getPrivate(), pbes2(keyIterations, password));
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));
        PKCS12SafeBag built = bag.build();
        if (!damaged) {
            return built;
        }
        var info = org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo.getInstance(built.toASN1Structure().getBagValue());
        byte[] data = info.getEncryptedData().clone();
        data[data.length - 1] ^= 0x55;
        data[data.length - 17] ^= 0x55;
        return new PKCS12SafeBag(new SafeBag(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag,
            new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(info.getEncryptionAlgorithm(), data),
            built.toASN1Structure().getBagAttributes()));
    }

    static OutputEncryptor pbes2(int iterations, char[] password) throws Exception {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
            .setPRF(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256,
                org.bouncycastle.asn1.DERNull.INSTANCE))
            .setIterationCount(iterations).setProvider(BC).build(password);
    }

}
