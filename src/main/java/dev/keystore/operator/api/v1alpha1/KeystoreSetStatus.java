package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeystoreSetStatus {
    public Long observedGeneration;
    @JsonPropertyDescription("+1 each time the output Secret's content changes")
    public Long revision;
    public String secretName;
    @JsonPropertyDescription("Earliest notAfter of the set's certificates")
    public String notAfter;
    @JsonPropertyDescription("Start of the renewal window open now, else of the next one (RFC 3339, UTC), when spec.renewal.windows is set")
    public String nextRenewalWindow;
    public List<Condition> conditions = new ArrayList<>();
    public KeystoresStatus keystores;
    public TruststoreStatus truststore;
    @JsonPropertyDescription("Rotation tokens already acted on, by annotation")
    public List<String> processedRotationTokens;
    @JsonPropertyDescription("issuer.external: per slot waiting for its signed certificate, when its CSR was written")
    public java.util.Map<String, String> awaitingSignature;
}
