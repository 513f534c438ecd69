package dev.keystore.operator.crypto;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The algorithm and size of a key pair. The operator generates RSA 2048/3072/4096 and EC P-256/P-384
 * ({@link #rsa}, {@link #ec}); keys brought in (a CA, an imported leaf) may also be RSA up to 8192
 * bits, EC P-521 or Ed25519 ({@link #supported}). Anything else is refused with what was found.
 */
public record KeyType(String algorithm, int size) {
    /** The sizes the operator generates. */
    public static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);
    public static final Set<Integer> EC_SIZES = Set.of(256, 384);
    /** Brought-in RSA keys: at least 2048 bits (shorter ones are breakable), at most 8192 (larger ones only cost CPU). */
    public static final int RSA_MIN = 2048;
    public static final int RSA_MAX = 8192;
    static final String ED25519 = "Ed25519";
    /** What {@link #supported} accepts, for messages. */
    public static final String ACCEPTED = "RSA of 2048 to 8192 bits, EC P-256, P-384 or P-521, or Ed25519";
    private static final Map<Integer, String> CURVES = Map.of(256, "secp256r1", 384, "secp384r1", 521, "secp521r1");

    public KeyType {
        boolean ok = ("RSA".equals(algorithm) && size >= RSA_MIN && size <= RSA_MAX)
            || ("EC".equals(algorithm) && CURVES.containsKey(size))
            || (ED25519.equals(algorithm) && size == 255);
        if (!ok) {
            throw new IllegalArgumentException("unsupported key: " + algorithm + " " + size + " (" + ACCEPTED + ")");
        }
    }

    /** An RSA type the operator generates: 2048, 3072 or 4096. */
    public static KeyType rsa(int size) {
        if (!RSA_SIZES.contains(size)) {
            throw new IllegalArgumentException("unsupported key: RSA " + size + " (RSA 2048, 3072, 4096 or EC 256, 384)");
        }
        return new KeyType("RSA", size);
    }

    /** An EC type the operator generates: P-256 or P-384. */
    public static KeyType ec(int size) {
        if (!EC_SIZES.contains(size)) {
            throw new IllegalArgumentException("unsupported key: EC " + size + " (RSA 2048, 3072, 4096 or EC 256, 384)");
        }
        return new KeyType("EC", size);
    }

    public static KeyType ed25519() {
        return new KeyType(ED25519, 255);
    }

    /** The type of a key we handle; an {@link IllegalArgumentException} naming what was found otherwise. */
    public static KeyType of(PublicKey key) {
        return supported(key).orElseThrow(() -> new IllegalArgumentException("unsupported key: " + found(key)
            + " (" + ACCEPTED + ")"));
    }

    /** The type of a key brought in, when it is one we accept. */
    public static Optional<KeyType> supported(java.security.Key key) {
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits >= RSA_MIN && bits <= RSA_MAX ? Optional.of(new KeyType("RSA", bits)) : Optional.empty();
        }
        if (key instanceof ECKey ec) {
            return namedCurve(ec.getParams()).map(size -> new KeyType("EC", size));
        }
        if (key instanceof EdECKey ed && NamedParameterSpec.ED25519.getName().equalsIgnoreCase(ed.getParams().getName())) {
            return Optional.of(ed25519());
        }
        return Optional.empty();
    }

    /** What a key is, for a message: "RSA 1024", "EC P-256", "EC brainpoolP256r1 (256 bits)", "DSA 2048", "Ed448". */
    public static String found(java.security.Key key) {
        if (key instanceof ECKey ec) {
            Optional<Integer> named = namedCurve(ec.getParams());
            return named.map(size -> "EC P-" + size).orElseGet(() -> "EC on a curve other than P-256, P-384 and P-521 ("
                + ec.getParams().getCurve().getField().getFieldSize() + " bits)");
        }
        if (key instanceof EdECKey ed) {
            return ed.getParams().getName();
        }
        int bits = bits(key);
        return key.getAlgorithm() + (bits > 0 ? " " + bits : "");
    }

    /** The size of the NIST curve these parameters are, if they are one. */
    private static Optional<Integer> namedCurve(ECParameterSpec params) {
        int size = params.getCurve().getField().getFieldSize();
        String name = CURVES.get(size);
        if (name == null) {
            return Optional.empty();
        }
        try {
            AlgorithmParameters named = AlgorithmParameters.getInstance("EC");
            named.init(new ECGenParameterSpec(name));
            ECParameterSpec spec = named.getParameterSpec(ECParameterSpec.class);
            boolean same = spec.getCurve().equals(params.getCurve()) && spec.getOrder().equals(params.getOrder())
                && spec.getGenerator().equals(params.getGenerator()) && spec.getCofactor() == params.getCofactor();
            return same ? Optional.of(size) : Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
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
            } else if (ED25519.equals(algorithm)) {
                generator.initialize(NamedParameterSpec.ED25519, random);
            } else {
                generator.initialize(new ECGenParameterSpec(curveName()), random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + describe() + " key pair", e);
        }
    }

    String curveName() {
        return CURVES.get(size);
    }

    /** The signature algorithm a CA with a key of this type signs with. */
    String signatureAlgorithm() {
        if ("RSA".equals(algorithm)) {
            return size >= 7680 ? "SHA512withRSA" : size >= 3072 ? "SHA384withRSA" : "SHA256withRSA";
        }
        if (ED25519.equals(algorithm)) {
            return ED25519;
        }
        return size == 521 ? "SHA512withECDSA" : size == 384 ? "SHA384withECDSA" : "SHA256withECDSA";
    }

    /** "RSA 2048", "EC P-256", "Ed25519". */
    public String describe() {
        return "RSA".equals(algorithm) ? "RSA " + size : ED25519.equals(algorithm) ? ED25519 : "EC P-" + size;
    }
}
