package dev.keystore.operator.inspect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * How a PKCS12 file is encrypted, read from its ASN.1 without the password: the algorithms
 * protecting its certificates and its keys, and its MAC digest. OpenSSL 3 moved RC2, RC4 and
 * single DES to its legacy provider, so files using them (what JDK 8 and OpenSSL 1.1 wrote) fail
 * with "unsupported" unless {@code -legacy} is given; 3DES and a SHA-1 MAC still read, but are old.
 *
 * @param certificates the algorithm of each encrypted part holding certificates ("none" when a part is in clear)
 * @param keys the algorithm of each shrouded key bag
 * @param mac the MAC digest ("none" without a MAC)
 * @param refusedByOpenssl3 the algorithms OpenSSL 3 refuses without -legacy (empty: it reads the file)
 * @param legacy any pre-PBES2 cipher, 3DES or a SHA-1 MAC
 * @param profile the protection in the words of the tools that write it: {@code Modern: PBES2/AES-256, HmacSHA256 MAC}
 *     (Java 17, OpenSSL 3, the operator), {@code Legacy: PBE-SHA1-3DES, SHA-1 MAC}, {@code Legacy RC2: ...}
 *     (Java 8, OpenSSL 1.1), else {@code Mixed: ...}
 * @param readers for each reader that cannot open every PKCS12, whether it opens this one. OpenSSL 3
 *     follows from the algorithms it moved to its legacy provider (checked against OpenSSL in the tests);
 *     Java 8 before 8u301 and IBM GSKit read neither PBES2 nor an HMAC-SHA-2 MAC, only the PKCS#12
 *     PBE-SHA1 ciphers with a SHA-1 MAC. Java 8u301 and later, 11 and 17 open all of these.
 */
public record Pkcs12Protection(List<String> certificates, List<String> keys, String mac, List<String> refusedByOpenssl3,
                               boolean legacy, String profile, Map<String, Boolean> readers) {
    public static final String OPENSSL_3 = "OpenSSL 3 without -legacy";
    public static final String JAVA_8 = "Java 8 before 8u301";
    public static final String GSKIT = "IBM GSKit";

    private record Pbe(String name, String word, boolean refused) {
    }

    /** An algorithm as openssl names it, and in the short form of the profile line. */
    private record Named(String name, String word) {
    }

    private static final Map<ASN1ObjectIdentifier, Pbe> PBES1 = Map.ofEntries(
        Map.entry(PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC, new Pbe("pbeWithSHA1And40BitRC2-CBC", "PBE-SHA1-RC2-40", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHAAnd128BitRC2_CBC, new Pbe("pbeWithSHA1And128BitRC2-CBC", "PBE-SHA1-RC2-128", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC4, new Pbe("pbeWithSHA1And40BitRC4", "PBE-SHA1-RC4-40", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHAAnd128BitRC4, new Pbe("pbeWithSHA1And128BitRC4", "PBE-SHA1-RC4-128", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC, new Pbe("pbeWithSHA1And3-KeyTripleDES-CBC", "PBE-SHA1-3DES", false)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHAAnd2_KeyTripleDES_CBC, new Pbe("pbeWithSHA1And2-KeyTripleDES-CBC", "PBE-SHA1-2DES", false)),
        Map.entry(PKCSObjectIdentifiers.pbeWithMD2AndDES_CBC, new Pbe("pbeWithMD2AndDES-CBC", "PBE-MD2-DES", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithMD2AndRC2_CBC, new Pbe("pbeWithMD2AndRC2-CBC", "PBE-MD2-RC2", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithMD5AndDES_CBC, new Pbe("pbeWithMD5AndDES-CBC", "PBE-MD5-DES", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithMD5AndRC2_CBC, new Pbe("pbeWithMD5AndRC2-CBC", "PBE-MD5-RC2", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHA1AndDES_CBC, new Pbe("pbeWithSHA1AndDES-CBC", "PBE-SHA1-DES", true)),
        Map.entry(PKCSObjectIdentifiers.pbeWithSHA1AndRC2_CBC, new Pbe("pbeWithSHA1AndRC2-CBC", "PBE-SHA1-RC2", true)));

    private static final Map<ASN1ObjectIdentifier, String> CIPHERS = Map.of(
        NISTObjectIdentifiers.id_aes128_CBC, "AES-128-CBC",
        NISTObjectIdentifiers.id_aes192_CBC, "AES-192-CBC",
        NISTObjectIdentifiers.id_aes256_CBC, "AES-256-CBC",
        PKCSObjectIdentifiers.des_EDE3_CBC, "DES-EDE3-CBC");

    /** Ciphers OpenSSL 3 keeps in its legacy provider, by name; not in CIPHERS, so still refused. */
    private static final Map<ASN1ObjectIdentifier, String> LEGACY_CIPHERS = Map.of(
        OIWObjectIdentifiers.desCBC, "DES-CBC",
        PKCSObjectIdentifiers.RC2_CBC, "RC2-CBC");

    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
        OIWObjectIdentifiers.idSHA1, "SHA-1",
        NISTObjectIdentifiers.id_sha224, "SHA-224",
        NISTObjectIdentifiers.id_sha256, "SHA-256",
        NISTObjectIdentifiers.id_sha384, "SHA-384",
        NISTObjectIdentifiers.id_sha512, "SHA-512",
        PKCSObjectIdentifiers.id_hmacWithSHA1, "hmacWithSHA1",
        PKCSObjectIdentifiers.id_hmacWithSHA256, "hmacWithSHA256",
        PKCSObjectIdentifiers.id_hmacWithSHA384, "hmacWithSHA384",
        PKCSObjectIdentifiers.id_hmacWithSHA512, "hmacWithSHA512");

    public Pkcs12Protection {
        certificates = List.copyOf(certificates);
        keys = List.copyOf(keys);
        refusedByOpenssl3 = List.copyOf(refusedByOpenssl3);
        readers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(readers));
    }

    /** What reading the ASN.1 has found so far. */
    private static final class Findings {
        final Set<String> refused = new LinkedHashSet<>();
        boolean legacy;
    }

    /** The protection of a PKCS12 file; empty when the bytes are not a PKCS12 (PFX) structure. */
    public static Optional<Pkcs12Protection> of(byte[] bytes) {
        Pfx pfx;
        AuthenticatedSafe safe;
        if (!dev.keystore.operator.crypto.Asn1Nesting.withinBound(bytes)) {
            return Optional.empty(); // Bouncy Castle would overflow its stack
        }
        try {
            pfx = Pfx.getInstance(ASN1Primitive.fromByteArray(bytes));
            if (!PKCSObjectIdentifiers.data.equals(pfx.getAuthSafe().getContentType())) {
                return Optional.empty(); // public-key integrity mode: not something a keystore tool writes
            }
            safe = AuthenticatedSafe.getInstance(ASN1Primitive.fromByteArray(
                ASN1OctetString.getInstance(pfx.getAuthSafe().getContent()).getOctets()));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
        Set<Named> certificates = new LinkedHashSet<>();
        Set<Named> keys = new LinkedHashSet<>();
        Findings found = new Findings();
        try {
            for (ContentInfo part : safe.getContentInfo()) {
                if (PKCSObjectIdentifiers.encryptedData.equals(part.getContentType())) {
                    AlgorithmIdentifier algorithm = EncryptedData.getInstance(part.getContent())
                        .getEncryptionAlgorithm();
                    certificates.add(name(algorithm, found));
                } else if (PKCSObjectIdentifiers.data.equals(part.getContentType())) {
                    ASN1Sequence bags = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(
                        ASN1OctetString.getInstance(part.getContent()).getOctets()));
                    for (var element : bags) {
                        SafeBag bag = SafeBag.getInstance(element);
                        if (PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(bag.getBagId())) {
                            keys.add(name(EncryptedPrivateKeyInfo.getInstance(bag.getBagValue()).getEncryptionAlgorithm(),
                                found));
                        } else if (PKCSObjectIdentifiers.keyBag.equals(bag.getBagId())) {
                            keys.add(new Named("none", "no encryption"));
                        } else if (PKCSObjectIdentifiers.certBag.equals(bag.getBagId())) {
                            certificates.add(new Named("none", "no encryption"));
                        }
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
        MacData macData = pfx.getMacData();
        String mac = "none";
        if (macData != null) {
            ASN1ObjectIdentifier digest = macData.getMac().getAlgorithmId().getAlgorithm();
            mac = DIGESTS.getOrDefault(digest, digest.getId());
            found.legacy |= OIWObjectIdentifiers.idSHA1.equals(digest);
        }
        return Optional.of(new Pkcs12Protection(names(certificates), names(keys), mac, new ArrayList<>(found.refused),
            found.legacy, profile(certificates, keys, mac), readers(certificates, keys, mac, found.refused.isEmpty())));
    }

    private static List<String> names(Set<Named> algorithms) {
        return algorithms.stream().map(Named::name).toList();
    }

    private static final Set<String> SHA2 = Set.of("SHA-224", "SHA-256", "SHA-384", "SHA-512");

    /** {@code Modern: PBES2/AES-256, HmacSHA256 MAC}; certificates and keys apart when they differ. */
    static String profile(Set<Named> certificates, Set<Named> keys, String mac) {
        List<String> certWords = certificates.stream().map(Named::word).distinct().toList();
        List<String> keyWords = keys.stream().map(Named::word).distinct().toList();
        List<String> all = java.util.stream.Stream.concat(certWords.stream(), keyWords.stream()).distinct().toList();
        String name;
        if (!all.isEmpty() && all.stream().allMatch(w -> w.startsWith("PBES2/AES-")) && SHA2.contains(mac)) {
            name = "Modern";
        } else if (!all.isEmpty() && all.stream().allMatch(w -> w.startsWith("PBE-SHA1-")) && mac.equals("SHA-1")) {
            name = all.stream().anyMatch(w -> w.contains("RC2") || w.contains("RC4")) ? "Legacy RC2" : "Legacy";
        } else {
            name = "Mixed";
        }
        String ciphers = keyWords.isEmpty() || certWords.isEmpty() || certWords.equals(keyWords)
            ? String.join(" + ", all)
            : String.join(" + ", certWords) + " certificates, " + String.join(" + ", keyWords) + " keys";
        String macWord = mac.equals("none") ? "no MAC" : SHA2.contains(mac) ? "Hmac" + mac.replace("-", "") + " MAC"
            : mac + " MAC";
        return name + ": " + (ciphers.isEmpty() ? "nothing encrypted" : ciphers) + ", " + macWord;
    }

    private static Map<String, Boolean> readers(Set<Named> certificates, Set<Named> keys, String mac,
                                                boolean openssl3) {
        boolean pkcs12Pbe = java.util.stream.Stream.concat(certificates.stream(), keys.stream())
            .allMatch(n -> n.word().startsWith("PBE-SHA1-") || n.name().equals("none"))
            && (mac.equals("SHA-1") || mac.equals("none"));
        Map<String, Boolean> readers = new java.util.LinkedHashMap<>();
        readers.put(OPENSSL_3, openssl3);
        readers.put(JAVA_8, pkcs12Pbe);
        readers.put(GSKIT, pkcs12Pbe);
        return readers;
    }

    /** {@code OpenSSL 3 without -legacy: yes, Java 8 before 8u301: no, IBM GSKit: no}. */
    public String describeReaders() {
        return String.join(", ", readers.entrySet().stream().map(e -> e.getKey() + ": " + (e.getValue() ? "yes" : "no"))
            .toList());
    }

    /** The algorithm's name as {@code openssl pkcs12 -info} prints it; notes refused and legacy ones. */
    private static Named name(AlgorithmIdentifier algorithm, Findings found) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (PKCSObjectIdentifiers.id_PBES2.equals(oid)) {
            PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
            ASN1ObjectIdentifier cipher = parameters.getEncryptionScheme().getAlgorithm();
            String prf = "hmacWithSHA1";
            if (PKCSObjectIdentifiers.id_PBKDF2.equals(parameters.getKeyDerivationFunc().getAlgorithm())) {
                ASN1ObjectIdentifier prfOid = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters())
                    .getPrf().getAlgorithm();
                prf = DIGESTS.getOrDefault(prfOid, prfOid.getId());
            }
            String cipherName = CIPHERS.getOrDefault(cipher, LEGACY_CIPHERS.getOrDefault(cipher, cipher.getId()));
            String name = "PBES2 (PBKDF2 " + prf + ", " + cipherName + ")";
            if (!CIPHERS.containsKey(cipher)) {
                found.refused.add(name); // DES, RC2 and the like inside PBES2 need the legacy provider too
            }
            found.legacy |= !CIPHERS.containsKey(cipher) || PKCSObjectIdentifiers.des_EDE3_CBC.equals(cipher);
            return new Named(name, "PBES2/" + (cipherName.equals("DES-EDE3-CBC") ? "3DES" : cipherName.replace("-CBC", "")));
        }
        Pbe pbe = PBES1.getOrDefault(oid, new Pbe(oid.getId(), oid.getId(), true));
        found.legacy = true;
        if (pbe.refused()) {
            found.refused.add(pbe.name());
        }
        return new Named(pbe.name(), pbe.word());
    }

    /** {@code certificates PBES2 (...), keys PBES2 (...), MAC SHA-256}. */
    public String describe() {
        return "certificates " + (certificates.isEmpty() ? "none" : String.join(" + ", certificates))
            + ", keys " + (keys.isEmpty() ? "none" : String.join(" + ", keys)) + ", MAC " + mac;
    }
}
