package dev.keystore.operator.crypto;

import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;

/** Deterministic inputs for the crypto, keystore and plan tests: a fixed clock and seeded randomness. */
public final class TestKeys {
    /** A whole second, so that X.509 times (second precision) compare exactly. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final AtomicLong SEEDS = new AtomicLong(20260101L);

    private TestKeys() {
    }

    public static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** SHA1PRNG seeded before its first use is deterministic for a given seed. */
    public static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A seeded random whose seed differs from every earlier call's, so fresh keys never coincide. */
    public static SecureRandom nextSeeded() {
        return seeded(SEEDS.incrementAndGet());
    }

    public static Signer signerAt(Instant instant) {
        return new Signer(clockAt(instant), nextSeeded());
    }

    public static KeyPair rsa2048() {
        return KeyType.rsa(2048).generate(nextSeeded());
    }

    public static KeyPair ec256() {
        return KeyType.ec(256).generate(nextSeeded());
    }

    /** A small self-signed EC CA at T0 (fast to make), valid for ten years. */
    public static CertificateAuthority ecCa(String commonName) {
        return signerAt(T0).selfSignedCa(new X500Name("CN=" + commonName), ec256(), Duration.ofDays(3650));
    }

    /** A self-signed CA certificate with the given subject: a trusted entry for keystore tests. */
    public static X509Certificate selfSigned(String subject) {
        return signerAt(T0).selfSignedCa(new X500Name(subject), ec256(), Duration.ofDays(365)).certificate();
    }

    public static CertificateProfile leafProfile(String commonName, Set<String> dns, Set<String> ips) {
        return new CertificateProfile(new X500Name("CN=" + commonName), dns, ips,
            org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment,
            Set.of(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth.getId(),
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth.getId()), false);
    }

    /**
     * A self-signed CA certificate built directly with Bouncy Castle, for keys and signatures the
     * Signer never makes (RSA 1024, SHA-1, P-521).
     */
    public static X509Certificate foreignCa(KeyPair keys, String signatureAlgorithm, String commonName) {
        try {
            X500Name name = new X500Name("CN=" + commonName);
            var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(7),
                java.util.Date.from(T0.minus(Duration.ofDays(1))), java.util.Date.from(T0.plus(Duration.ofDays(3650))), name,
                keys.getPublic());
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(true));
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign));
            return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
