package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.KeyAndChain;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A slot's {@code import}, as read from its Secret: the key with its chain and any CA certificates
 * to trust, or the problem that kept it from being read (which the plan may forgive when a recorded
 * internal key makes the source unnecessary).
 */
public record Imported(KeyAndChain material, List<X509Certificate> caCertificates, Problem problem) {
    public Imported {
        caCertificates = List.copyOf(caCertificates);
    }

    static Imported failed(Problem problem) {
        return new Imported(null, List.of(), problem);
    }
}
