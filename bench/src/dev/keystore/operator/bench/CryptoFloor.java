package dev.keystore.operator.bench;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.config.Snippets;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.CertificateProfile;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.plan.ExistingState;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.SetDefinition;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The crypto floor, single-threaded: what one core spends on key generation, signing, keystore
 * encoding and the whole in-process build of a set (everything the operator does for a new set
 * but talk to the API server). Sample mode, so that medians and tails are reported.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 2)
public class CryptoFloor {
    private static final char[] PASSWORD = "bench-password".toCharArray();

    private final SecureRandom random = new SecureRandom();
    private Signer signer;
    private CertificateAuthority rsaCa;
    private CertificateAuthority ecCa;
    private KeyPair leafKey;
    private CertificateProfile leafProfile;
    private StoreContent store;
    private byte[] jks;
    private byte[] pkcs12;
    private SetDefinition tlsOnlyEc;
    private SetDefinition wso2;
    private SetDefinition wso2ExistingCa;

    @Setup
    public void setUp() throws Exception {
        signer = new Signer(Clock.systemUTC(), random);
        rsaCa = Shape.corporateCa(random);
        ecCa = signer.selfSignedCa(new X500Name("CN=bench EC CA"), KeyType.ec(256).generate(random), Duration.ofDays(3650));
        leafKey = KeyType.rsa(2048).generate(random);
        leafProfile = new CertificateProfile(new X500Name("CN=apim.example.com"), Set.of("apim.example.com"), Set.of(),
            0xa0, Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), false);
        store = StoreContent.of(new StoreEntry.KeyEntry("wso2carbon", leafKey.getPrivate(),
            signer.issue(rsaCa, leafProfile, leafKey.getPublic(), Duration.ofDays(90))));
        jks = KeystoreCodec.write(StoreType.JKS, store, PASSWORD);
        pkcs12 = KeystoreCodec.write(StoreType.PKCS12, store, PASSWORD);
        Path project = Path.of("").toAbsolutePath();
        tlsOnlyEc = SetDefinition.of(Shape.TLS_ONLY_EC.load(project));
        wso2 = SetDefinition.of(Shape.WSO2.load(project));
        KeystoreSet existing = Shape.WSO2_EXISTING_CA.load(project);
        wso2ExistingCa = SetDefinition.of(existing);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    public KeyPair keygenRsa2048() {
        return KeyType.rsa(2048).generate(random);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 3)
    public KeyPair keygenRsa3072() {
        return KeyType.rsa(3072).generate(random);
    }

    /** The slowest and most variable: fewer, longer iterations. */
    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 2, time = 4)
    public KeyPair keygenRsa4096() {
        return KeyType.rsa(4096).generate(random);
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public KeyPair keygenEcP256() {
        return KeyType.ec(256).generate(random);
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public KeyPair keygenEcP384() {
        return KeyType.ec(384).generate(random);
    }

    /** A leaf certificate signed by an RSA-3072 CA (SHA384withRSA). */
    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public Object signWithRsa3072Ca() {
        return signer.issue(rsaCa, leafProfile, leafKey.getPublic(), Duration.ofDays(90));
    }

    /** A leaf certificate signed by an EC P-256 CA (SHA256withECDSA). */
    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public Object signWithEcP256Ca() {
        return signer.issue(ecCa, leafProfile, leafKey.getPublic(), Duration.ofDays(90));
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public byte[] encodeJks() {
        return KeystoreCodec.write(StoreType.JKS, store, PASSWORD);
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public StoreContent decodeJks() throws Exception {
        return KeystoreCodec.read(StoreType.JKS, jks, PASSWORD);
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public byte[] encodePkcs12() {
        return KeystoreCodec.write(StoreType.PKCS12, store, PASSWORD);
    }

    @Benchmark
    @Measurement(iterations = 2, time = 1)
    public StoreContent decodePkcs12() throws Exception {
        return KeystoreCodec.read(StoreType.PKCS12, pkcs12, PASSWORD);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 2, time = 3)
    public Map<String, byte[]> buildTlsOnlyEc() throws Exception {
        return build(tlsOnlyEc, ExistingState.empty());
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 5)
    public Map<String, byte[]> buildWso2() throws Exception {
        return build(wso2, ExistingState.empty());
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 4)
    public Map<String, byte[]> buildWso2ExistingCa() throws Exception {
        return build(wso2ExistingCa, new ExistingState(Map.of(), Map.of(), Map.of(), null, rsaCa, List.of(), Map.of()));
    }

    /** What the operator and render do for a new set: issue, encode every store, write the snippets. */
    private Map<String, byte[]> build(SetDefinition def, ExistingState existing) throws Exception {
        Outcome outcome = new Issuance(signer).run(def, existing);
        Map<String, byte[]> output = new java.util.LinkedHashMap<>(outcome.output());
        output.putAll(Snippets.files(def));
        return output;
    }
}
