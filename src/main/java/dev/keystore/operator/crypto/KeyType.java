package dev.keystore.operator.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;

/** The algorithm and size of a key pair: RSA 2048/3072/4096 or EC P-256/P-384. */
public record KeyType(String algorithm, int size) {
    public static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);
    public static final Set<Integer> EC_SIZES = Set.of(256, 384);

    public KeyType {
        boolean ok = ("RSA".equals(algorithm) && RSA_SIZES.contains(size))
            || ("EC".equals(algorithm) && EC_SIZES.contains(size));
        if (!ok) {
            throw new IllegalArgumentException("unsupported key: " + algorithm + " " + size
                + " (RSA 2048, 3072, 4096 or EC 256, 384)");
        }
    }

    public static KeyType rsa(int size) {
        return new KeyType("RSA", size);
    }

    public static KeyType ec(int size) {
        return new KeyType("EC", size);
    }

    public static KeyType of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return new KeyType("RSA", rsa.getModulus().bitLength());
        }
        if (key instanceof ECPublicKey ec) {
            return new KeyType("EC", ec.getParams().getCurve().getField().getFieldSize());
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }

    /**
     * The size in bits of any RSA, EC or DSA key, public or private, including sizes this type
     * refuses to make (an RSA 1024 key found in an old keystore); 0 for other algorithms.
     */
    public static int bits(java.security.Key key) {
        if (key instanceof java.security.interfaces.RSAKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof java.security.interfaces.ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof java.security.interfaces.DSAKey dsa && dsa.getParams() != null) {
            return dsa.getParams().getP().bitLength();
        }
        return 0;
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if ("RSA".equals(algorithm)) {
                generator.initialize(size, random);
            } else {
                generator.initialize(new ECGenParameterSpec(curveName()), random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + describe() + " key pair", e);
        }
    }

    String curveName() {
        return size == 256 ? "secp256r1" : "secp384r1";
    }

    /** The signature algorithm a CA with a key of this type signs with. */
    String signatureAlgorithm() {
        if ("RSA".equals(algorithm)) {
            return size >= 3072 ? "SHA384withRSA" : "SHA256withRSA";
        }
        return size == 384 ? "SHA384withECDSA" : "SHA256withECDSA";
    }

    /** "RSA 2048", "EC P-256". */
    public String describe() {
        return "RSA".equals(algorithm) ? "RSA " + size : "EC P-" + size;
    }
}
