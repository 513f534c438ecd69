package dev.keystore.operator.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/** The public half of a private key that is kept without a certificate (a key waiting for its signature). */
public final class PublicKeys {
    private PublicKeys() {
    }

    /** The key pair of {@code key}; RSA (with CRT parameters) and EC keys. */
    public static KeyPair pairOf(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return new KeyPair(KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())), key);
            }
            if (key instanceof ECPrivateKey ec) {
                var q = EC5Util.convertSpec(ec.getParams()).getG().multiply(ec.getS()).normalize();
                return new KeyPair(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), ec.getParams())), key);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot derive the public key of a " + key.getAlgorithm() + " key", e);
        }
        throw new IllegalArgumentException("cannot derive the public key of a " + key.getAlgorithm() + " key");
    }
}
