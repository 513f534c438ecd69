package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrivateKeySpec {
    @JsonPropertyDescription("RSA or EC; primary and internal keys must be RSA")
    public KeyAlgorithm algorithm;
    @JsonPropertyDescription("RSA: 2048, 3072, 4096; EC: 256, 384")
    @Min(Patterns.MIN_KEY_SIZE)
    @Max(Patterns.MAX_KEY_SIZE)
    public Integer size;
    @JsonPropertyDescription("Always: a new key pair at each renewal; Never: renew the certificate only")
    public RotationPolicy rotationPolicy;
}
