package dev.keystore.operator.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/** Whether a private key belongs to a certificate's public key. */
public final class KeyMatch {
    private static final byte[] PROBE = "keystore-operator key match".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private KeyMatch() {
    }

    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (privateKey instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey pub) {
            return rsa.getModulus().equals(pub.getModulus()) && rsa.getPublicExponent().equals(pub.getPublicExponent());
        }
        try {
            String algorithm = switch (publicKey.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "EdDSA", "Ed25519" -> "Ed25519";
                case "DSA" -> "SHA256withDSA";
                default -> "SHA256withRSA";
            };
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(privateKey);
            sign.update(PROBE);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(PROBE);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
